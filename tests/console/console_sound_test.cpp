// The datasets page of a room that serves sound, against the real lodestone-server on
// loopback: the sample grid shows the windows' log-mel spectrograms, byte for byte what
// the server stored and the model trains on, and names each item.
#include "connect_page.h"
#include "datasets_page.h"
#include "main_window.h"
#include "run_events_until.h"
#include "store/database.h"
#include "support/server_process.h"

#include <QStandardPaths>
#include <QTest>

#include <algorithm>
#include <functional>
#include <memory>
#include <set>

using namespace lodestone;
using namespace lodestone::console;

class TestConsoleSound final : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void cleanupTestCase();
  void theDatasetsPageListsTheRecordings();
  void theSampleGridShowsEachWindowsSpectrogram();

 private:
  bool waitFor(const std::function<bool()>& done, int timeout_ms = 15000);
  // Every item's stored thumbnail, by ordinal, as the import wrote it.
  std::vector<std::vector<std::uint8_t>> storedPixels() const;

  std::unique_ptr<testing::ServerProcess> server_;
  std::unique_ptr<ConsoleSession> session_;
  std::unique_ptr<MainWindow> window_;
};

void TestConsoleSound::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  server_ = std::make_unique<testing::ServerProcess>(testing::ServerProcess::GeneratedCalls{2});
  const auto lead = server_->make_token("lea", "lead");
  server_->start();
  session_ = std::make_unique<ConsoleSession>();
  window_ = std::make_unique<MainWindow>(*session_);
  window_->show();
  window_->connectPage().connectTo({QStringLiteral("127.0.0.1"), server_->port(), QString::fromStdString(lead)}, true);
  QVERIFY2(waitFor([this] { return session_->connection().state() == LinkState::Joined; }),
           qPrintable(session_->connection().stateText()));
  QVERIFY(waitFor([this] { return session_->connection().thumbnailsComplete(); }));
}

void TestConsoleSound::cleanupTestCase() {
  window_.reset();
  session_.reset();
  server_.reset();
}

bool TestConsoleSound::waitFor(const std::function<bool()>& done, int timeout_ms) {
  return run_events_until(done, timeout_ms);
}

std::vector<std::vector<std::uint8_t>> TestConsoleSound::storedPixels() const {
  auto db = store::Database::open(server_->database());
  auto q = db.prepare("SELECT pixels FROM items ORDER BY ordinal");
  std::vector<std::vector<std::uint8_t>> pixels;
  while (q.step()) pixels.push_back(q.blob(0));
  return pixels;
}

void TestConsoleSound::theDatasetsPageListsTheRecordings() {
  auto& datasets = session_->datasets();
  QVERIFY(waitFor([&] { return datasets.rowCount() == 1; }));
  const auto& row = datasets.rows()[0];
  QVERIFY(row.shown);
  QCOMPARE(row.sample_rate, 16000u);
  QVERIFY(row.recordings > 0);
  QVERIFY(row.audio_seconds > 0);
}

void TestConsoleSound::theSampleGridShowsEachWindowsSpectrogram() {
  const auto& dataset = session_->connection().dataset();
  QVERIFY(dataset.has_value());
  QVERIFY(dataset->sample_rate > 0);
  auto& page = window_->datasetsPage();
  const int items = static_cast<int>(dataset->item_count);
  const int shown = std::min(items, DatasetsPage::kSamples);
  QVERIFY(waitFor([&] { return page.sampleCount() == shown; }));
  const int width = dataset->width, height = dataset->height;
  QCOMPARE(static_cast<int>(dataset->channels), 1);
  const auto stored_pixels = storedPixels();
  QCOMPARE(stored_pixels.size(), static_cast<std::size_t>(items));
  std::set<int> values_seen;
  for (int i = 0; i < shown; ++i) {
    const int index = static_cast<int>(static_cast<long long>(i) * items / shown);
    const QImage image = page.sampleImage(i);
    QCOMPARE(image.size(), QSize(width, height));
    const auto& stored = stored_pixels[static_cast<std::size_t>(index)];
    QCOMPARE(stored.size(), static_cast<std::size_t>(width * height));
    for (int y = 0; y < height; ++y) {
      const auto* line = image.constScanLine(y);
      QVERIFY2(std::equal(line, line + width, stored.begin() + y * width),
               qPrintable(QStringLiteral("sample %1 (item %2), row %3 differs from the stored spectrogram").arg(i).arg(index).arg(y)));
      for (int x = 0; x < width; ++x) values_seen.insert(line[x]);
    }
    QVERIFY2(page.sampleToolTip(i).contains(QStringLiteral("item %1").arg(index)), qPrintable(page.sampleToolTip(i)));
  }
  // Spectrograms have a noise floor and calls above it: many shades, not a blank tile.
  QVERIFY2(values_seen.size() > 32, qPrintable(QString::number(values_seen.size())));
}

QTEST_MAIN(TestConsoleSound)
#include "console_sound_test.moc"
