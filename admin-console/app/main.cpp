// lodestone-console: the project lead's console. Connects to a running lodestone-server
// with a lead token (remembered from the last session unless given here).
#include "connect_page.h"
#include "connection_settings.h"
#include "main_window.h"
#include "screenshots.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTimer>

#include <cstdio>

int main(int argc, char** argv) {
  using namespace lodestone::console;
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("Lodestone"));
  QApplication::setApplicationName(QStringLiteral("lodestone-console"));
  QApplication::setApplicationVersion(QStringLiteral(LODESTONE_VERSION));

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("The Lodestone console for project leads."));
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption host({QStringLiteral("host")}, QStringLiteral("server address"), QStringLiteral("HOST"));
  const QCommandLineOption port({QStringLiteral("port")}, QStringLiteral("server port"), QStringLiteral("PORT"));
  const QCommandLineOption token({QStringLiteral("token")},
                                 QStringLiteral("a lead token (or $LODESTONE_TOKEN); connects at start"),
                                 QStringLiteral("TOKEN"));
  const QCommandLineOption shots({QStringLiteral("screenshots")},
                                 QStringLiteral("connect, write a PNG of every page into DIR, and exit"),
                                 QStringLiteral("DIR"));
  parser.addOptions({host, port, token, shots});
  parser.process(app);

  RememberedConnection remembered = load_connection_settings();
  ServerAddress address = remembered.address;
  if (parser.isSet(host)) address.host = parser.value(host);
  if (parser.isSet(port)) {
    // Held to a port's range: a value that does not fit is refused, never wrapped.
    bool ok = false;
    const uint value = parser.value(port).toUInt(&ok);
    if (!ok || value < 1 || value > 65535) {
      std::fprintf(stderr, "lodestone-console: --port must be a port number between 1 and 65535, not '%s'\n",
                   qPrintable(parser.value(port)));
      return 2;
    }
    address.port = static_cast<quint16>(value);
  }
  if (parser.isSet(token)) address.token = parser.value(token);
  else if (const QByteArray env = qgetenv("LODESTONE_TOKEN"); !env.isEmpty()) address.token = QString::fromUtf8(env);

  ConsoleSession session;
  MainWindow window(session);

  if (parser.isSet(shots)) {
    // Screenshot mode remembers nothing: it must not replace the user's saved token.
    session.connection().open(address);
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < 15000 &&
           !(session.connection().state() == LinkState::Joined && session.connection().thumbnailsComplete() &&
             session.training().samples().size() >= 3)) {
      QApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    session.refreshAll();
    const QString folder = parser.value(shots);
    QElapsedTimer settle;
    settle.start();
    while (settle.elapsed() < 1000) QApplication::processEvents(QEventLoop::AllEvents, 20);
    const QStringList written = write_screenshots(window, folder);
    for (const QString& file : written) std::printf("%s\n", qPrintable(file));
    if (session.connection().state() != LinkState::Joined) {
      std::fprintf(stderr, "lodestone-console: %s\n", qPrintable(session.connection().stateText()));
      return 1;
    }
    return written.size() == 7 ? 0 : 1;
  }

  window.show();
  if (!address.token.isEmpty() && (parser.isSet(token) || parser.isSet(host) || qEnvironmentVariableIsSet("LODESTONE_TOKEN"))) {
    window.connectPage().connectTo(address, remembered.remember_token);
  }
  return QApplication::exec();
}
