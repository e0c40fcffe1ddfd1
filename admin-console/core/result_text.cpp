#include "result_text.h"

namespace lodestone::console {
namespace {

QString why(RefusalCode code) {
  switch (code) {
    case RefusalCode::Forbidden: return QStringLiteral("Not allowed: this needs a lead token");
    case RefusalCode::NotFound: return QStringLiteral("Not found");
    case RefusalCode::Malformed: return QStringLiteral("The server did not accept the request");
    case RefusalCode::RateLimited: return QStringLiteral("Too many requests at once; try again in a moment");
    case RefusalCode::StorageFailure: return QStringLiteral("The server could not store this");
    case RefusalCode::Busy: return QStringLiteral("Another operation of this kind is still running");
    case RefusalCode::Failed: return QStringLiteral("It did not work");
    case RefusalCode::ShuttingDown: return QStringLiteral("The server is shutting down");
    case RefusalCode::ServerFull: return QStringLiteral("The server is full");
    case RefusalCode::BadToken:
    case RefusalCode::RevokedToken: return QStringLiteral("The token is not valid");
    case RefusalCode::ProtocolVersion: return QStringLiteral("The server speaks another protocol version");
    case RefusalCode::HelloTimeout: return QStringLiteral("The server timed out");
    case RefusalCode::Idle: return QStringLiteral("Disconnected after a silence");
  }
  return QStringLiteral("Refused");
}

}  // namespace

QString describe_result(const AdminResult& result) {
  const QString message = QString::fromStdString(result.message);
  if (!result.refusal) return message.isEmpty() ? QStringLiteral("Done.") : message;
  const QString refused = why(*result.refusal);
  return message.isEmpty() ? refused + QLatin1Char('.') : refused + QStringLiteral(": ") + message;
}

QString describe_progress(const OperationProgress& progress) {
  const QString stage = QString::fromStdString(progress.stage);
  if (progress.total == 0) return stage;
  return QStringLiteral("%1: %2 of %3").arg(stage).arg(progress.done).arg(progress.total);
}

}  // namespace lodestone::console
