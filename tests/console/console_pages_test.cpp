// Every page of the console against the real lodestone-server on loopback: each page's
// main action goes through the page, over the wire, and is observed where a user would
// see it — in the room of a client (the core the headsets and bots use), in the server's
// files, or back in the console.
#include "annotators_page.h"
#include "checkpoints_page.h"
#include "connect_page.h"
#include "core/room_client.h"
#include "datasets_page.h"
#include "export_page.h"
#include "label_set_page.h"
#include "main_window.h"
#include "run_events_until.h"
#include "screenshots.h"
#include "support/server_process.h"
#include "training_page.h"

#include <QApplication>
#include <QDir>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <memory>

using namespace lodestone;
using namespace lodestone::console;

namespace {

constexpr int kWaitMs = 15000;

}  // namespace

class TestConsolePages final : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void cleanupTestCase();
  void cleanup() { bots_.clear(); }
  void connectsAndShowsTheRoom();
  void aWrongTokenIsRefusedInWords();
  void datasetsPageListsDatasetsAndImportsOne();
  void importShowsTheServersErrorVerbatim();
  void importsSoundRecordingsAndListsTheirLength();
  void labelSetPageCreatesAClassEveryClientSees();
  void labelSetPageRenamesAndDeletesWithAChoiceForTheLabels();
  void checkpointsPageSavesAndRestores();
  void trainingPagePausesAndResumes();
  void annotatorsPageCreatesATokenAndRevokingItDisconnectsItsHolder();
  void annotatorsPageSettlesAConflictForEveryClient();
  void exportPageWritesTheFileAndSaysWhere();
  void screenshotsOfEveryPage();
  void reconnectsAfterTheServerComesBack();

 private:
  // Runs the console's event loop and every observing client until `done` or the timeout.
  bool waitFor(const std::function<bool()>& done, int timeout_ms = kWaitMs);
  // A client in the room, owned by the test until it ends; nullptr if it could not join.
  client::RoomClient* joinBot(const std::string& token, const std::string& name);
  // Waits until the page has shown one more result than `before`.
  bool waitForResult(const MessageBanner& banner, int before);
  void connectConsole();

  std::unique_ptr<testing::ServerProcess> server_;
  std::string lead_, annotator_, second_annotator_;
  std::unique_ptr<ConsoleSession> session_;
  std::unique_ptr<MainWindow> window_;
  std::vector<std::unique_ptr<client::RoomClient>> bots_;
  QTemporaryDir scratch_;
};

void TestConsolePages::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);  // the remembered token goes to a test location
  server_ = std::make_unique<testing::ServerProcess>(400, 8);
  lead_ = server_->make_token("lea", "lead");
  annotator_ = server_->make_token("ada", "annotator");
  second_annotator_ = server_->make_token("bob", "annotator");
  server_->start();
  session_ = std::make_unique<ConsoleSession>();
  window_ = std::make_unique<MainWindow>(*session_);
  window_->show();
  connectConsole();
}

void TestConsolePages::cleanupTestCase() {
  window_.reset();
  session_.reset();
  server_.reset();
}

bool TestConsolePages::waitFor(const std::function<bool()>& done, int timeout_ms) {
  return run_events_until(done, timeout_ms, [this] {
    for (auto& bot : bots_) bot->poll(0);
  });
}

client::RoomClient* TestConsolePages::joinBot(const std::string& token, const std::string& name) {
  bots_.push_back(std::make_unique<client::RoomClient>(client::ConnectOptions{"127.0.0.1", server_->port(), token, name}));
  auto* bot = bots_.back().get();
  if (!bot->connect()) return nullptr;
  if (!waitFor([bot] { return bot->state() == client::ConnectionState::Joined && !bot->scene().label_set.classes.empty(); })) {
    return nullptr;
  }
  return bot;
}

bool TestConsolePages::waitForResult(const MessageBanner& banner, int before) {
  return waitFor([&] { return banner.results() > before; });
}

void TestConsolePages::connectConsole() {
  ServerAddress address{QStringLiteral("127.0.0.1"), server_->port(), QString::fromStdString(lead_)};
  window_->connectPage().connectTo(address, true);
  QVERIFY2(waitFor([this] { return session_->connection().state() == LinkState::Joined; }),
           qPrintable(session_->connection().stateText()));
}

void TestConsolePages::connectsAndShowsTheRoom() {
  auto& connection = session_->connection();
  QVERIFY(connection.welcome().has_value());
  QCOMPARE(connection.welcome()->role, Role::Lead);
  QVERIFY(waitFor([&] { return connection.thumbnailsComplete(); }));
  QCOMPARE(connection.dataset()->item_count, 400u);
  QCOMPARE(window_->datasetsPage().sampleCount(), DatasetsPage::kSamples);
  QVERIFY(waitFor([&] { return connection.latencyMs() >= 0 && !session_->training().samples().empty(); }));
  QVERIFY2(window_->statusText().contains(QStringLiteral("server ")), qPrintable(window_->statusText()));
  QVERIFY2(waitFor([&] { return window_->statusText().contains(QStringLiteral("latency")); }),
           qPrintable(window_->statusText()));
  QVERIFY(session_->classes().rowCount() >= 2);  // the dataset's ground-truth classes
}

void TestConsolePages::aWrongTokenIsRefusedInWords() {
  ConsoleSession other;
  other.connection().open({QStringLiteral("127.0.0.1"), server_->port(), QStringLiteral("lds_not_a_token")});
  QVERIFY(waitFor([&] { return other.connection().state() == LinkState::Refused; }));
  QVERIFY2(other.connection().stateText().contains(QStringLiteral("token")), qPrintable(other.connection().stateText()));
}

void TestConsolePages::datasetsPageListsDatasetsAndImportsOne() {
  auto& datasets = session_->datasets();
  QVERIFY2(waitFor([&] { return datasets.rowCount() == 1; }), "the server sent no dataset list");
  QCOMPARE(datasets.rows()[0].items, 400u);
  QVERIFY(datasets.rows()[0].shown);

  const auto images = std::filesystem::path(scratch_.path().toStdString()) / "more-images.idx";
  const auto labels = std::filesystem::path(scratch_.path().toStdString()) / "more-labels.idx";
  testing::write_idx(images, labels, 30, 6);
  auto& page = window_->datasetsPage();
  const int before = page.banner().results();
  QVERIFY(page.importDataset(QString::fromStdString(images.string()), QStringLiteral("idx"),
                             QString::fromStdString(labels.string())) != 0);
  QVERIFY(waitForResult(page.banner(), before));
  QVERIFY2(!page.banner().isError(), qPrintable(page.banner().text()));
  QVERIFY(waitFor([&] { return datasets.rowCount() == 2; }));
  bool found = false;
  for (const auto& row : datasets.rows()) found = found || (row.items == 30 && !row.shown);
  QVERIFY(found);
}

void TestConsolePages::importShowsTheServersErrorVerbatim() {
  const auto broken = std::filesystem::path(scratch_.path().toStdString()) / "broken.idx";
  std::ofstream(broken, std::ios::binary).write("\0\0\x08\x03\0\0\0\x05", 8);  // header cut short
  auto& page = window_->datasetsPage();
  const int before = page.banner().results();
  QVERIFY(page.importDataset(QString::fromStdString(broken.string()), QStringLiteral("idx")) != 0);
  QVERIFY(waitForResult(page.banner(), before));
  QVERIFY(page.banner().isError());
  QVERIFY2(page.banner().text().contains(QStringLiteral("broken.idx")), qPrintable(page.banner().text()));
  QCOMPARE(session_->connection().state(), LinkState::Joined);  // the server keeps serving
}

void TestConsolePages::importsSoundRecordingsAndListsTheirLength() {
  const auto calls = std::filesystem::path(scratch_.path().toStdString()) / "calls";
  const auto generated = testing::run_command(server_->server(
      {"generate-audio", calls.string(), "--per-class", "2", "--field-minutes", "0.25"}));
  QCOMPARE(generated.exit_code, 0);
  auto& datasets = session_->datasets();
  const int had = datasets.rowCount();
  auto& page = window_->datasetsPage();
  const int before = page.banner().results();
  QVERIFY(page.importDataset(QString::fromStdString(calls.string()), QStringLiteral("audio")) != 0);
  QVERIFY(waitForResult(page.banner(), before));
  QVERIFY2(!page.banner().isError(), qPrintable(page.banner().text()));
  QVERIFY(waitFor([&] { return datasets.rowCount() == had + 1; }));
  const auto& rows = datasets.rows();
  const auto sound = std::find_if(rows.begin(), rows.end(), [](const DatasetRow& r) { return r.sample_rate > 0; });
  QVERIFY(sound != rows.end());
  QCOMPARE(sound->source_kind, std::string("audio-folder"));
  // Twelve 2 s clips of six kinds and a 15 s field recording (14 windows of 2 s every 1 s).
  QCOMPARE(sound->recordings, 13u);
  QCOMPARE(sound->items, 12u + 14u);
  QCOMPARE(sound->sample_rate, 16000u);
  QVERIFY2(std::abs(sound->audio_seconds - 39.0f) < 0.1f, qPrintable(QString::number(sound->audio_seconds)));
  const auto text = datasets.index(static_cast<int>(sound - rows.begin()), DatasetTableModel::Sound).data().toString();
  QVERIFY2(text.contains(QStringLiteral("13 recording")) && text.contains(QStringLiteral("0.7 min")), qPrintable(text));
}

void TestConsolePages::labelSetPageCreatesAClassEveryClientSees() {
  auto* bot = joinBot(annotator_, "ada-bot");
  QVERIFY(bot);
  auto& page = window_->labelSetPage();
  const int before = page.banner().results();
  QVERIFY(page.createClass(QStringLiteral("seven"), QColor(0x12, 0x34, 0x56)) != 0);
  QVERIFY(waitForResult(page.banner(), before));
  QVERIFY2(!page.banner().isError(), qPrintable(page.banner().text()));
  const auto bot_has_seven = [&] {
    for (const auto& c : bot->scene().label_set.classes) {
      if (c.name == "seven" && c.color == 0x123456u) return true;
    }
    return false;
  };
  QVERIFY2(waitFor(bot_has_seven), "the new class never reached the client in the room");
  QVERIFY(waitFor([&] {
    for (const auto& row : session_->classes().rows()) {
      if (row.info.name == "seven") return true;
    }
    return false;
  }));
}

void TestConsolePages::labelSetPageRenamesAndDeletesWithAChoiceForTheLabels() {
  auto* bot = joinBot(annotator_, "ada-bot");
  QVERIFY(bot);
  const auto id_of = [&](const std::string& name) -> ClassId {
    for (const auto& c : bot->scene().label_set.classes) {
      if (c.name == name) return c.id;
    }
    return kNoClass;
  };
  QVERIFY(waitFor([&] { return id_of("seven") != kNoClass; }));
  const ClassId seven = id_of("seven");
  auto& page = window_->labelSetPage();
  int before = page.banner().results();
  page.renameClass(seven, QStringLiteral("siete"));
  QVERIFY(waitForResult(page.banner(), before));
  QVERIFY2(!page.banner().isError(), qPrintable(page.banner().text()));
  QVERIFY(waitFor([&] { return id_of("siete") == seven; }));

  before = page.banner().results();
  page.deleteClass(seven, std::nullopt);  // erase its labels
  QVERIFY(waitForResult(page.banner(), before));
  QVERIFY2(!page.banner().isError(), qPrintable(page.banner().text()));
  QVERIFY(waitFor([&] { return id_of("siete") == kNoClass; }));
}

void TestConsolePages::checkpointsPageSavesAndRestores() {
  auto& page = window_->checkpointsPage();
  auto& checkpoints = session_->checkpoints();
  const int had = checkpoints.rowCount();
  for (int i = 0; i < 2; ++i) {
    const int before = page.banner().results();
    QVERIFY(page.saveNow() != 0);
    QVERIFY(waitForResult(page.banner(), before));
    QVERIFY2(!page.banner().isError(), qPrintable(page.banner().text()));
  }
  QVERIFY(waitFor([&] { return checkpoints.rowCount() == had + 2; }));
  std::int64_t older = checkpoints.rows().front().id, newer = older;
  for (const auto& row : checkpoints.rows()) older = std::min(older, row.id), newer = std::max(newer, row.id);

  const int before = page.banner().results();
  QVERIFY(page.restore(older) != 0);
  QVERIFY(waitForResult(page.banner(), before));
  QVERIFY2(!page.banner().isError(), qPrintable(page.banner().text()));
  QVERIFY2(waitFor([&] {
             const CheckpointRow* restored = checkpoints.rowAt(checkpoints.rowOf(older));
             const CheckpointRow* other = checkpoints.rowAt(checkpoints.rowOf(newer));
             return restored != nullptr && other != nullptr && restored->active && !other->active;
           }),
           "the restored checkpoint is not the one marked active");
}

void TestConsolePages::trainingPagePausesAndResumes() {
  auto& page = window_->trainingPage();
  auto& history = session_->training();
  int before = page.banner().results();
  QVERIFY(page.setPaused(true) != 0);
  QVERIFY(waitForResult(page.banner(), before));
  QVERIFY2(!page.banner().isError(), qPrintable(page.banner().text()));
  QVERIFY2(waitFor([&] { return history.newest() != nullptr && history.newest()->paused; }),
           "the training status never said paused");
  const auto step = history.samples().back().status.step;
  const auto seen = history.samples().size();
  QVERIFY(waitFor([&] { return history.samples().size() >= seen + 2; }));
  QVERIFY(history.samples().back().status.paused);
  QCOMPARE(history.samples().back().status.step, step);  // paused means no steps
  QVERIFY(page.plottedSamples() > 0);

  before = page.banner().results();
  QVERIFY(page.setPaused(false) != 0);
  QVERIFY(waitForResult(page.banner(), before));
  QVERIFY(waitFor([&] {
    const auto& now = history.samples().back().status;
    return !now.paused && now.step > step;
  }));
}

void TestConsolePages::annotatorsPageCreatesATokenAndRevokingItDisconnectsItsHolder() {
  auto& page = window_->annotatorsPage();
  int before = page.banner().results();
  QVERIFY(page.createToken(QStringLiteral("zed"), Role::Annotator) != 0);
  QVERIFY(waitForResult(page.banner(), before));
  QVERIFY2(!page.banner().isError(), qPrintable(page.banner().text()));
  const QString secret = page.shownSecret();
  QVERIFY(!secret.isEmpty());

  auto* zed = joinBot(secret.toStdString(), "zed-bot");
  QVERIFY2(zed, "the new token does not admit its holder");
  auto& tokens = session_->tokens();
  std::int64_t zed_token = 0;
  QVERIFY(waitFor([&] {
    for (const auto& row : tokens.rows()) {
      if (row.user_name == "zed") zed_token = row.token_id;
    }
    return zed_token != 0;
  }));
  QVERIFY(waitFor([&] {
    for (const auto& row : session_->online().rows()) {
      if (row.user_name == "zed") return true;
    }
    return false;
  }));

  before = page.banner().results();
  QVERIFY(page.revokeToken(zed_token) != 0);
  QVERIFY(waitForResult(page.banner(), before));
  QVERIFY2(!page.banner().isError(), qPrintable(page.banner().text()));
  QVERIFY2(waitFor([&] { return zed->state() != client::ConnectionState::Joined; }),
           "the holder of a revoked token is still in the room");
  // And the token no longer opens the room.
  client::RoomClient again({"127.0.0.1", server_->port(), secret.toStdString(), "zed-again"});
  QVERIFY(again.connect());
  QVERIFY(again.poll_until([&] { return again.state() == client::ConnectionState::Refused; }, kWaitMs));
}

void TestConsolePages::annotatorsPageSettlesAConflictForEveryClient() {
  auto* ada = joinBot(annotator_, "ada-bot");
  auto* bob = joinBot(second_annotator_, "bob-bot");
  QVERIFY(ada && bob);
  QVERIFY(waitFor([&] { return ada->has_positions(); }));
  const auto& classes = ada->scene().label_set.classes;
  QVERIFY(classes.size() >= 2);
  const ClassId first = classes[0].id, second = classes[1].id;
  // Both label the same region with different classes: a sphere over the whole room, since
  // the small test cloud moves and regroups while it trains.
  const Vec3 centre{0.0f, 1.4f, 0.0f};
  const auto label = [&](client::RoomClient& who, ClassId cls) {
    const auto created = who.send_intent({0, IntentKind::CreateSphere, 0, centre, 3.5f, kNoClass});
    std::optional<IntentResult> sphere;
    if (!waitFor([&] { return (sphere = who.result(created)).has_value(); }) || !sphere->accepted()) return false;
    const auto assigned = who.send_intent({0, IntentKind::AssignClass, sphere->sphere_id, {}, 0, cls});
    std::optional<IntentResult> result;
    return waitFor([&] { return (result = who.result(assigned)).has_value(); }) && result->accepted();
  };
  QVERIFY(label(*ada, first));
  QVERIFY(label(*bob, second));

  auto& conflicts = session_->conflicts();
  const bool listed = waitFor([&] { return conflicts.rowCount() > 0; });
  QVERIFY2(listed, qPrintable(QStringLiteral("the console never listed the conflict (server counts %1; the room has %2 labels)")
                                  .arg(session_->status() ? session_->status()->conflict_count : 0)
                                  .arg(ada->scene().labels.size())));
  const ConflictRow disputed = conflicts.rows().front();
  QVERIFY(disputed.annotators.size() >= 2);
  auto& page = window_->annotatorsPage();
  const int before = page.banner().results();
  QVERIFY(page.resolveConflict(disputed.item_index, first) != 0);
  QVERIFY(waitForResult(page.banner(), before));
  QVERIFY2(!page.banner().isError(), qPrintable(page.banner().text()));
  const auto settled = [&](const client::RoomClient& who) {
    const auto it = who.scene().labels.find(disputed.item_index);
    return it != who.scene().labels.end() && it->second == first;
  };
  QVERIFY2(waitFor([&] { return settled(*ada) && settled(*bob); }), "the settled label did not reach the room");
  QVERIFY(waitFor([&] {
    const ConflictRow* row = conflicts.rowAt(conflicts.rowOf(disputed.item_index));
    return row == nullptr || row->current_class == first;
  }));
}

void TestConsolePages::exportPageWritesTheFileAndSaysWhere() {
  auto& page = window_->exportPage();
  ExportRequest request;
  request.format = "csv";
  request.out_path = QDir(scratch_.path()).filePath(QStringLiteral("labels.csv")).toStdString();
  const int before = page.banner().results();
  QVERIFY(page.exportDataset(request) != 0);
  QVERIFY(waitForResult(page.banner(), before));
  QVERIFY2(!page.banner().isError(), qPrintable(page.banner().text()));
  QVERIFY(QFile::exists(QString::fromStdString(request.out_path)));
}

void TestConsolePages::screenshotsOfEveryPage() {
  QVERIFY(waitFor([&] { return session_->training().samples().size() >= 3; }));
  const QString folder = qEnvironmentVariableIsSet("LODESTONE_CONSOLE_SCREENSHOTS")
                             ? qEnvironmentVariable("LODESTONE_CONSOLE_SCREENSHOTS")
                             : scratch_.filePath(QStringLiteral("screenshots"));
  const QStringList written = write_screenshots(*window_, folder);
  QCOMPARE(written.size(), window_->tabs().count());
  for (const QString& file : written) QVERIFY(QImage(file).width() > 600);
}

void TestConsolePages::reconnectsAfterTheServerComesBack() {
  const auto port = server_->port();
  QCOMPARE(server_->terminate(), 0);
  QVERIFY(waitFor([&] { return session_->connection().state() == LinkState::Waiting; }));
  QVERIFY(session_->connection().stateText().contains(QStringLiteral("lost")));
  server_->start({"--port", std::to_string(port)});
  QVERIFY2(waitFor([&] { return session_->connection().state() == LinkState::Joined; }, 20000),
           qPrintable(session_->connection().stateText()));
  QVERIFY(session_->connection().dataset().has_value());
}

QTEST_MAIN(TestConsolePages)
#include "console_pages_test.moc"
