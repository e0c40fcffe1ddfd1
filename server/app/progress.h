#pragma once
// Progress of long work: a redrawn bar on a terminal, a plain log line every tenth
// otherwise (so logs and CI output stay readable).
#include <chrono>
#include <cstddef>
#include <string>

namespace lodestone::server {

class ProgressReporter {
 public:
  explicit ProgressReporter(std::string what);
  void update(std::size_t done, std::size_t total);
  void finish();

 private:
  std::string what_;
  bool terminal_;
  int last_decile_ = -1;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace lodestone::server
