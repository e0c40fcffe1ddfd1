#pragma once
// Lead operations that need more than the room holds (files under the data directory,
// the model, seconds of work) run off the room thread. Each call starts the work and
// returns at once; `reply` may be called from any thread, several times (progress), and
// last with an AdminResult. The room delivers the replies from its own thread.
#include "lodestone/envelope.h"

#include <cstdint>
#include <functional>

namespace lodestone::room {

using AdminReply = std::function<void(Bytes)>;

class AdminOperations {
 public:
  virtual ~AdminOperations() = default;
  virtual void checkpoint(const CheckpointCommand& command, AdminReply reply) = 0;
  virtual void import_dataset(const ImportRequest& request, AdminReply reply) = 0;
  virtual void export_dataset(const ExportRequest& request, AdminReply reply) = 0;
  // The checkpoint the running model was last saved to or restored from (0: none).
  virtual std::int64_t active_checkpoint() const = 0;
};

}  // namespace lodestone::room
