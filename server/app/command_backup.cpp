#include "app/commands.h"
#include "app/server_context.h"
#include "learning/checkpoint_store.h"

#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <fcntl.h>
#include <unistd.h>

namespace lodestone::server {
namespace {

namespace fs = std::filesystem;

bool integrity_ok(const fs::path& database, std::string& detail) {
  auto db = store::Database::open(database);
  auto check = db.prepare("PRAGMA integrity_check");
  check.step();
  detail = check.text(0);
  return detail == "ok";
}

// The newest checkpoint of every dataset: what `serve` would resume from.
std::vector<std::string> active_checkpoints(store::Database& db) {
  std::vector<std::string> paths;
  auto q = db.prepare("SELECT path FROM checkpoints c WHERE id = (SELECT MAX(id) FROM checkpoints WHERE dataset_id = c.dataset_id)");
  while (q.step()) paths.push_back(q.text(0));
  return paths;
}

}  // namespace

ServeLock::ServeLock(const fs::path& data_dir) {
  fs::create_directories(data_dir);
  fd_ = ::open((data_dir / "serve.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  held_ = fd_ >= 0 && flock(fd_, LOCK_EX | LOCK_NB) == 0;
}

ServeLock::~ServeLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

// backup --out DIR: a consistent copy of the database (SQLite's VACUUM INTO, safe while
// the server runs and clients label) and of each dataset's newest checkpoint.
int command_backup(const Args& args) {
  const auto out = args.option("out");
  if (!out) throw UsageError("backup needs --out DIR");
  if (fs::exists(*out)) {
    spdlog::error("{} already exists: choose a new folder", *out);
    return 1;
  }
  const auto data_dir = resolve_data_dir(args.option("data-dir"));
  auto db = open_store(data_dir);
  const fs::path partial = *out + ".partial";
  fs::remove_all(partial);
  fs::create_directories(partial);
  try {
    db.prepare("VACUUM INTO ?").bind(1, (partial / "lodestone.db").string()).run();
    auto copy = store::Database::open(partial / "lodestone.db");
    for (const auto& path : active_checkpoints(copy)) {
      if (!fs::exists(data_dir / path)) continue;
      fs::create_directories((partial / path).parent_path());
      fs::copy(data_dir / path, partial / path, fs::copy_options::recursive);
    }
  } catch (const std::exception& e) {
    fs::remove_all(partial);
    spdlog::error("backup failed: {}; nothing was written", e.what());
    return 1;
  }
  std::string detail;
  if (!integrity_ok(partial / "lodestone.db", detail)) {
    fs::remove_all(partial);
    spdlog::error("the copy failed its integrity check ({}); nothing was written", detail);
    return 1;
  }
  fs::rename(partial, *out);
  spdlog::info("backup of {} written to {} (integrity check ok)", data_dir.string(), *out);
  return 0;
}

// restore --from DIR: puts a backup in place of the data directory's database and
// checkpoints. Refused while a server runs on that data directory.
int command_restore(const Args& args) {
  const auto from = args.option("from");
  if (!from) throw UsageError("restore needs --from DIR (made by `backup`)");
  const auto data_dir = resolve_data_dir(args.option("data-dir"));
  ServeLock lock(data_dir);
  if (!lock.held()) {
    spdlog::error("a server is running on {}: stop it before restoring", data_dir.string());
    return 1;
  }
  std::string detail;
  if (!fs::exists(fs::path(*from) / "lodestone.db") || !integrity_ok(fs::path(*from) / "lodestone.db", detail)) {
    spdlog::error("{} is not a usable backup ({})", *from, detail.empty() ? "no lodestone.db" : detail);
    return 1;
  }
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(data_dir / (std::string("lodestone.db") + suffix));
  fs::copy_file(fs::path(*from) / "lodestone.db", data_dir / "lodestone.db");
  if (fs::exists(fs::path(*from) / "checkpoints")) {
    fs::copy(fs::path(*from) / "checkpoints", data_dir / "checkpoints",
             fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  }
  spdlog::info("restored {} from {}", data_dir.string(), *from);
  return 0;
}

}  // namespace lodestone::server
