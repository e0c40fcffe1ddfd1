#pragma once
// Data-parallel training over several processes, through LibTorch's own distributed
// package (c10d, Gloo backend over TCP). Rank 0 is the process that owns the room (or an
// offline `train`) and hosts the rendezvous store; the others are `train-worker`s. Every
// step each rank trains on its own batch and the ranks average their gradients, so each
// takes the same step; rank 0 decides what the next steps are (how many, the labels, a
// new model after a restored checkpoint) and tells the others before them.
//
// Only learner.cpp and training_group.cpp touch tensors; the header names them only.
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace at {
class Tensor;
}

namespace lodestone::learning {

struct GroupAddress {
  std::string host = "127.0.0.1";  // where rank 0's store listens (rank 0: the address it binds)
  std::uint16_t port = 29400;
  int rank = 0;
  int world = 1;  // ranks in all, rank 0 included
  std::chrono::seconds timeout{60};  // for joining, and for any one exchange
  // The local address Gloo listens on for the other ranks; empty: the one this machine
  // reaches the store from (rank 0: the store's own address).
  std::string bind;
};

// "HOST:PORT" → host and port; throws std::invalid_argument with the text otherwise.
GroupAddress parse_store_address(const std::string& text);

// An exception's first line (c10d's carry a stack trace after it).
std::string first_line(const std::exception& e);

// What rank 0 tells the others before each round of steps.
struct GroupTick {
  int steps = 0;          // 0: nothing to do this round (a paused room)
  bool labels = false;    // new labels follow
  bool weights = false;   // rank 0's weights follow (a restored checkpoint)
  bool settings = false;  // rank 0's training parameters follow (a lead changed them)
  bool stop = false;      // the group ends
};

class TrainingGroup {
 public:
  // Joins the group: rank 0 hosts the store and waits for the others; the others connect
  // to it. Throws std::runtime_error saying what failed (no store at the address, the
  // others did not come within the timeout).
  explicit TrainingGroup(const GroupAddress& address);
  ~TrainingGroup();
  TrainingGroup(const TrainingGroup&) = delete;
  TrainingGroup& operator=(const TrainingGroup&) = delete;

  int rank() const { return address_.rank; }
  int world() const { return address_.world; }
  const GroupAddress& address() const { return address_; }

  // Each of these is one exchange every rank makes in the same order; rank 0's values go
  // to the others. They throw std::runtime_error when a rank is gone or does not answer.
  void share(GroupTick& tick);
  void share(std::vector<int>& labels);
  void share(std::vector<float>& values);
  void share(std::uint64_t& value);
  // Rank 0's signature (item count, classes, parameters) against this rank's: throws,
  // naming both, where they differ (a worker started on another dataset or model).
  void check_same(std::span<const std::int64_t> signature, const std::string& what);
  void broadcast(std::vector<at::Tensor>& tensors);  // rank 0's values, in place
  void average(std::vector<at::Tensor>& tensors);    // the mean over ranks, in place

  // Bytes of the tensors this rank exchanged (what goes over the network per rank is
  // about twice that for an average, Gloo's ring all-reduce sending each part twice).
  std::uint64_t payload_bytes() const { return bytes_; }

 private:
  struct Backend;
  GroupAddress address_;
  std::unique_ptr<Backend> backend_;
  std::uint64_t bytes_ = 0;
};

}  // namespace lodestone::learning
