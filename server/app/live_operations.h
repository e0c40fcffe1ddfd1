#pragma once
// The lead's long operations on a running server: checkpoints (save, restore, delete),
// import and export. Each runs on a worker thread with its own database connection, one
// at a time, so the room never waits; progress and the result go back as messages.
#include "learning/trainer.h"
#include "room/admin_operations.h"

#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

namespace lodestone::server {

class LiveOperations final : public room::AdminOperations {
 public:
  LiveOperations(std::filesystem::path data_dir, std::int64_t dataset_id, learning::Trainer& trainer,
                 std::size_t keep_checkpoints, std::int64_t active_checkpoint);
  ~LiveOperations() override;  // waits for the running operation

  void checkpoint(const CheckpointCommand& command, room::AdminReply reply) override;
  void import_dataset(const ImportRequest& request, room::AdminReply reply) override;
  void export_dataset(const ExportRequest& request, room::AdminReply reply) override;
  std::int64_t active_checkpoint() const override { return active_checkpoint_; }
  void set_active_checkpoint(std::int64_t id) { active_checkpoint_ = id; }

 private:
  // Starts `work` on the worker thread, or answers Busy when an operation is running.
  void start(std::uint64_t request_id, const char* what, room::AdminReply reply,
             std::function<AdminResult()> work);

  std::filesystem::path data_dir_;
  std::int64_t dataset_id_;
  learning::Trainer& trainer_;
  std::size_t keep_checkpoints_;
  std::atomic<std::int64_t> active_checkpoint_;
  std::mutex mutex_;  // guards worker_ and running_
  std::thread worker_;
  std::atomic<bool> running_{false};
  std::string running_what_;
};

}  // namespace lodestone::server
