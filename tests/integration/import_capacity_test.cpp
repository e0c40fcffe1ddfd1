// A dataset the machine cannot hold is refused before anything is stored, with the
// figures: what it needs and what there is.
#include "support/server_process.h"

#include <gtest/gtest.h>

namespace lodestone {
namespace {

TEST(ImportCapacity, ADatasetPastTheDatabaseCapIsRefusedWithTheFiguresAndNothingIsStored) {
  testing::ServerProcess server;  // one dataset of 400 items already imported
  const auto images = server.data_dir() / "more.idx", labels = server.data_dir() / "more-labels.idx";
  testing::write_idx(images, labels, 20'000, 16);  // 20,000 × 256 pixels: about 7.5 MB stored
  const auto refused = testing::run_command(testing::with_log_on_stdout(server.server(
      {"import", "idx", images.string(), "--labels", labels.string(), "--max-database-mb", "2"})));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.out.find("import refused: 'more' has 20000 items of 16x16x1; storing it needs about 7.5 MB more "
                             "database, and the database (now "),
            std::string::npos)
      << refused.out;
  EXPECT_NE(refused.out.find("may grow to 2.0 MB (--max-database-mb)"), std::string::npos) << refused.out;
  EXPECT_NE(refused.out.find("nothing was stored"), std::string::npos);
  const auto listed = testing::run_command(server.server({"datasets"}));
  EXPECT_EQ(listed.out.find("more"), std::string::npos) << listed.out;

  const auto fits = testing::run_command(testing::with_log_on_stdout(server.server(
      {"import", "idx", images.string(), "--labels", labels.string(), "--max-database-mb", "50"})));
  EXPECT_EQ(fits.exit_code, 0) << fits.out;
  EXPECT_NE(fits.out.find("serving takes about"), std::string::npos) << fits.out;
  EXPECT_NE(testing::run_command(server.server({"datasets"})).out.find("more"), std::string::npos);
}

}  // namespace
}  // namespace lodestone
