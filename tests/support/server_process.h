#pragma once
// Runs the real lodestone-server (and lodestone-bot) as child processes for
// integration tests: a fresh data directory with a small generated dataset, tokens made
// through the CLI, and `serve` on a free port read from its LISTENING line.
#include "temp_dir.h"

#include <cstdint>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace lodestone::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  long peak_memory_kib = 0;  // the largest resident set of the program (or of what it ran)
};

// A 2-class IDX dataset of `n` side×side images (class 0 bright on the left, class 1 on
// the right), with its labels file.
void write_idx(const std::filesystem::path& images, const std::filesystem::path& labels, int n, int side);

// Runs a program to completion; stderr goes to the test log. `while_waiting` runs every
// few milliseconds until it ends: a test that holds room clients polls them there, so a
// slow command (seconds under the sanitizers) does not let their connections time out.
CommandResult run_command(const std::vector<std::string>& argv, const std::function<void()>& while_waiting = {});
// The same with stderr folded into stdout, so a test reads what the user reads.
CommandResult run_with_stderr(const std::vector<std::string>& argv);

// `argv` as a shell line whose stderr (the server's log) joins its stdout, so that
// run_command's result holds the log too.
std::vector<std::string> with_log_on_stdout(const std::vector<std::string>& argv);

class ServerProcess {
 public:
  // Imports a 2-class dataset of `items` side×side images into a fresh data directory.
  explicit ServerProcess(int items = 400, int side = 8);
  // Generates calls (generate-audio, `per_class` clips of each kind) into calls/ of the
  // data directory and imports them as a sound dataset instead.
  struct GeneratedCalls {
    int per_class = 3;
  };
  explicit ServerProcess(GeneratedCalls calls);
  // Imports the given IDX images and labels files instead.
  ServerProcess(const std::filesystem::path& images, const std::filesystem::path& labels);
  ~ServerProcess();

  std::string make_token(const std::string& user, const std::string& role);
  // Starts `serve`; returns the port. Extra arguments are appended. Tests get a faster
  // refresh and one training thread; start_as_deployed keeps the server's own defaults
  // (what a team runs, for the benchmarks).
  std::uint16_t start(const std::vector<std::string>& extra = {});
  std::uint16_t start_as_deployed(const std::vector<std::string>& extra = {});
  // SIGTERM and wait; returns the exit code.
  int terminate();
  void kill_hard();
  bool running() const { return pid_ > 0; }

  const std::filesystem::path& data_dir() const { return dir_.path(); }
  std::filesystem::path database() const { return dir_.path() / "lodestone.db"; }
  std::uint16_t port() const { return port_; }
  int pid() const { return pid_; }
  std::vector<std::string> server(const std::vector<std::string>& args) const;
  // From the next start() on, the server's log (stderr) goes to server.log in the data
  // directory, appended across restarts, instead of the test's output; log() reads it.
  void capture_log();
  std::string log() const;

 private:
  TempDir dir_;
  std::filesystem::path log_file_;
  int pid_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace lodestone::testing
