#include "support/server_process.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace lodestone::testing {
namespace {

std::vector<char*> c_args(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const auto& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

// Starts argv[0] with its stdout on a pipe; returns the pid and the pipe's read end.
// stderr is appended to `stderr_file` when one is given.
std::pair<int, int> spawn_with_stdout_pipe(const std::vector<std::string>& argv,
                                           const std::filesystem::path& stderr_file = {}) {
  int pipefd[2];
  if (pipe(pipefd) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(pipefd[1], STDOUT_FILENO);
    if (!stderr_file.empty()) {
      const int log = open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (log >= 0) dup2(log, STDERR_FILENO);
    }
    close(pipefd[0]);
    close(pipefd[1]);
    auto args = c_args(argv);
    execv(args[0], args.data());
    _exit(127);
  }
  close(pipefd[1]);
  return {pid, pipefd[0]};
}

}  // namespace

void write_idx(const std::filesystem::path& images, const std::filesystem::path& labels, int n, int side) {
  std::ofstream img(images, std::ios::binary), lbl(labels, std::ios::binary);
  const auto be32 = [](std::ofstream& f, std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) f.put(static_cast<char>((v >> s) & 0xFF));
  };
  img.write("\0\0\x08\x03", 4);
  be32(img, static_cast<std::uint32_t>(n));
  be32(img, static_cast<std::uint32_t>(side));
  be32(img, static_cast<std::uint32_t>(side));
  lbl.write("\0\0\x08\x01", 4);
  be32(lbl, static_cast<std::uint32_t>(n));
  for (int i = 0; i < n; ++i) {
    const int cls = i % 2;  // class 0: bright left half, class 1: bright right half
    for (int y = 0; y < side; ++y) {
      for (int x = 0; x < side; ++x) {
        const bool lit = (x < side / 2) == (cls == 0);
        img.put(static_cast<char>(lit ? 200 + (i * 7 + x) % 50 : (i * 3 + y) % 40));
      }
    }
    lbl.put(static_cast<char>(cls));
  }
}

CommandResult run_with_stderr(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& a : argv) line += "'" + a + "' ";
  return run_command({"/bin/sh", "-c", line + "2>&1"});
}

CommandResult run_command(const std::vector<std::string>& argv, const std::function<void()>& while_waiting) {
  const auto [pid, out] = spawn_with_stdout_pipe(argv);
  CommandResult result;
  char buffer[4096];
  for (;;) {
    pollfd ready{out, POLLIN, 0};
    const int polled = ::poll(&ready, 1, while_waiting ? 10 : -1);
    if (polled < 0 && errno == EINTR) continue;
    if (polled == 0) {
      while_waiting();
      continue;
    }
    const ssize_t n = read(out, buffer, sizeof buffer);
    if (n <= 0) break;
    result.out.append(buffer, static_cast<std::size_t>(n));
  }
  close(out);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.peak_memory_kib = usage.ru_maxrss;
  return result;
}

ServerProcess::ServerProcess(int items, int side) {
  write_idx(dir_ / "images.idx", dir_ / "labels.idx", items, side);
  const auto imported = run_command(server({"import", "idx", (dir_ / "images.idx").string(), "--labels",
                                            (dir_ / "labels.idx").string()}));
  if (imported.exit_code != 0) throw std::runtime_error("import failed");
}

ServerProcess::ServerProcess(GeneratedCalls calls) {
  const auto folder = (dir_ / "calls").string();
  if (run_command(server({"generate-audio", folder, "--per-class", std::to_string(calls.per_class)})).exit_code != 0) {
    throw std::runtime_error("generate-audio failed");
  }
  if (run_command(server({"import", "audio", folder})).exit_code != 0) throw std::runtime_error("import audio failed");
}

ServerProcess::ServerProcess(const std::filesystem::path& images, const std::filesystem::path& labels) {
  const auto imported = run_command(server({"import", "idx", images.string(), "--labels", labels.string()}));
  if (imported.exit_code != 0) throw std::runtime_error("import failed");
}

ServerProcess::~ServerProcess() { kill_hard(); }

std::vector<std::string> ServerProcess::server(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{LODESTONE_SERVER_BIN, "--data-dir", dir_.path().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

std::vector<std::string> with_log_on_stdout(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& a : argv) line += "'" + a + "' ";  // our arguments hold no quotes
  return {"/bin/sh", "-c", line + "2>&1"};
}

std::string ServerProcess::make_token(const std::string& user, const std::string& role) {
  auto result = run_command(server({"token", "create", user, "--role", role}));
  if (result.exit_code != 0) throw std::runtime_error("token create failed");
  while (!result.out.empty() && (result.out.back() == '\n' || result.out.back() == '\r')) result.out.pop_back();
  return result.out;
}

std::uint16_t ServerProcess::start(const std::vector<std::string>& extra) {
  std::vector<std::string> args{"--refresh-seconds", "0.1", "--threads", "1"};
  args.insert(args.end(), extra.begin(), extra.end());
  return start_as_deployed(args);
}

std::uint16_t ServerProcess::start_as_deployed(const std::vector<std::string>& extra) {
  std::vector<std::string> args{"serve", "--port", "0"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto [pid, out] = spawn_with_stdout_pipe(server(args), log_file_);
  pid_ = pid;
  // The server prints "LISTENING <port>" once its socket is bound.
  std::string line;
  char c;
  while (read(out, &c, 1) == 1) {
    if (c != '\n') {
      line += c;
      continue;
    }
    if (line.rfind("LISTENING ", 0) == 0) {
      port_ = static_cast<std::uint16_t>(std::stoi(line.substr(10)));
      break;
    }
    line.clear();
  }
  close(out);
  if (port_ == 0) throw std::runtime_error("the server did not start");
  return port_;
}

void ServerProcess::capture_log() { log_file_ = dir_.path() / "server.log"; }

std::string ServerProcess::log() const {
  std::ifstream in(log_file_);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int ServerProcess::terminate() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  port_ = 0;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void ServerProcess::kill_hard() {
  if (pid_ <= 0) return;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    // It ended before the test did: say how, since that is the failure to explain.
    std::fprintf(stderr, "lodestone-server ended early: %s %d\n", WIFSIGNALED(status) ? "signal" : "exit code",
                 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    pid_ = -1;
    port_ = 0;
    return;
  }
  ::kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  port_ = 0;
}

}  // namespace lodestone::testing
