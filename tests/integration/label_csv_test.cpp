// `label --csv` reads CSV as RFC 4180 writes it (quoted fields, doubled quotes, line
// breaks inside quotes, a header naming the columns), so what `export --format csv`
// writes goes back in: the round trip keeps every manual label and skips the rows the
// model predicted.
#include "integration/stored_labels.h"
#include "support/server_process.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

namespace lodestone {
namespace {

std::int64_t first_item(const std::filesystem::path& database) {
  auto db = store::Database::open(database);
  auto q = db.prepare("SELECT MIN(id) FROM items");
  q.step();
  return q.int64(0);
}

// item id -> class name, from the current labels an export wrote.
std::map<std::string, std::string> exported_labels(const testing::ServerProcess& server, const std::filesystem::path& out) {
  EXPECT_EQ(testing::run_command(server.server({"export", "--format", "csv", "--out", out.string(), "--force"})).exit_code, 0);
  std::ifstream in(out);
  std::string line;
  std::getline(in, line);
  std::map<std::string, std::string> labels;
  while (std::getline(in, line)) {
    const auto a = line.find(','), b = line.find(',', a + 1), c = line.find(',', b + 1);
    labels[line.substr(0, a)] = line.substr(b + 1, c - b - 1);
  }
  return labels;
}

TEST(LabelCsv, QuotedFieldsAHeaderAndTheExportsOwnFilesAreRead) {
  testing::ServerProcess server;  // 400 items, classes "0" and "1"
  const auto dir = server.data_dir();
  const auto id = first_item(server.database());
  {
    std::ofstream csv(dir / "quoted.csv");
    csv << "item_id,source,class,origin,annotator\n"
        << '"' << id << "\",\"a \"\"quoted\"\", source\",0,manual,someone\n"
        << id + 1 << ",\"two\nlines\",\"1\",manual,\n"
        << id + 2 << ",plain,1,predicted,\n";
  }
  const auto labelled = testing::run_command(server.server({"label", "--csv", (dir / "quoted.csv").string()}));
  ASSERT_EQ(labelled.exit_code, 0);
  EXPECT_EQ(testing::stored_annotations(server.database()), 2);  // the predicted row is skipped
  auto labels = exported_labels(server, dir / "export.csv");
  EXPECT_EQ(labels[std::to_string(id)], "0");
  EXPECT_EQ(labels[std::to_string(id + 1)], "1");
  EXPECT_FALSE(labels.contains(std::to_string(id + 2)));

  // The export itself goes back in, by another annotator: the same labels stand.
  ASSERT_EQ(testing::run_command(server.server({"label", "--csv", (dir / "export.csv").string(), "--annotator", "again"}))
                .exit_code,
            0);
  EXPECT_EQ(exported_labels(server, dir / "export-2.csv"), labels);

  // A quote never closed: refused with the file and the line, nothing stored.
  {
    std::ofstream csv(dir / "broken.csv");
    csv << "item_id,class\n" << id + 3 << ",\"1\n";
  }
  const auto before = testing::stored_annotations(server.database());
  EXPECT_NE(testing::run_command(server.server({"label", "--csv", (dir / "broken.csv").string()})).exit_code, 0);
  EXPECT_EQ(testing::stored_annotations(server.database()), before);
}

}  // namespace
}  // namespace lodestone
