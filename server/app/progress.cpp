#include "app/progress.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>

namespace lodestone::server {

ProgressReporter::ProgressReporter(std::string what)
    : what_(std::move(what)), terminal_(isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()) {}

void ProgressReporter::update(std::size_t done, std::size_t total) {
  if (total == 0) return;
  const double fraction = static_cast<double>(done) / static_cast<double>(total);
  if (terminal_) {
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(fraction * kWidth);
    std::fprintf(stderr, "\r%s [%.*s%*s] %3d%% (%zu/%zu)", what_.c_str(), filled,
                 "##############################", kWidth - filled, "",
                 static_cast<int>(fraction * 100), done, total);
    std::fflush(stderr);
    drawn_ = true;
    return;
  }
  const int decile = static_cast<int>(fraction * 10);
  if (decile != last_decile_) {
    last_decile_ = decile;
    spdlog::info("{}: {}% ({}/{})", what_, decile * 10, done, total);
  }
}

void ProgressReporter::finish() {
  if (drawn_) std::fprintf(stderr, "\n");
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  spdlog::info("{}: done in {:.1f} s", what_, seconds);
}

}  // namespace lodestone::server
