#include "connection_settings.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lodestone::console {
namespace {

// Writes `text` into `path` so that at no moment can another user read it: the file is
// created with mode 0600 (and forced back to 0600 if it existed with a wider mode).
QString write_private_file(const QString& path, const QByteArray& text) {
  const QByteArray native = QFile::encodeName(path);
  const int fd = ::open(native.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (fd < 0) return QStringLiteral("cannot write %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno)));
  QString error;
  if (::fchmod(fd, S_IRUSR | S_IWUSR) != 0 ||
      ::write(fd, text.constData(), static_cast<std::size_t>(text.size())) != static_cast<ssize_t>(text.size())) {
    error = QStringLiteral("cannot write %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno)));
  }
  ::close(fd);
  return error;
}

}  // namespace

QString token_file_path() {
  return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QStringLiteral("/token");
}

RememberedConnection load_connection_settings() {
  RememberedConnection out;
  QSettings settings;
  out.address.host = settings.value(QStringLiteral("connection/host"), out.address.host).toString();
  out.address.port = static_cast<quint16>(settings.value(QStringLiteral("connection/port"), out.address.port).toUInt());
  out.remember_token = settings.value(QStringLiteral("connection/rememberToken"), true).toBool();
  QFile token(token_file_path());
  if (out.remember_token && token.open(QIODevice::ReadOnly)) {
    out.address.token = QString::fromUtf8(token.readAll()).trimmed();
  }
  return out;
}

QString save_connection_settings(const RememberedConnection& remembered) {
  QSettings settings;
  settings.setValue(QStringLiteral("connection/host"), remembered.address.host);
  settings.setValue(QStringLiteral("connection/port"), remembered.address.port);
  settings.setValue(QStringLiteral("connection/rememberToken"), remembered.remember_token);
  settings.sync();
  const QString path = token_file_path();
  if (!remembered.remember_token || remembered.address.token.isEmpty()) {
    QFile::remove(path);
    return {};
  }
  if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
    return QStringLiteral("cannot create the folder for %1").arg(path);
  }
  return write_private_file(path, remembered.address.token.toUtf8());
}

}  // namespace lodestone::console
