#include "learning/training_group.h"

#include <torch/torch.h>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <cstring>
#include <stdexcept>

namespace lodestone::learning {

struct TrainingGroup::Backend {
  c10::intrusive_ptr<c10d::TCPStore> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group;

  void broadcast(std::vector<at::Tensor>& tensors) {
    c10d::BroadcastOptions options;
    options.rootRank = 0;
    group->broadcast(tensors, options)->wait();
  }
};

GroupAddress parse_store_address(const std::string& text) {
  const auto colon = text.rfind(':');
  GroupAddress a;
  try {
    if (colon == std::string::npos || colon == 0) throw std::invalid_argument("no port");
    std::size_t used = 0;
    const int port = std::stoi(text.substr(colon + 1), &used);
    if (used != text.size() - colon - 1 || port < 1 || port > 65535) throw std::invalid_argument("bad port");
    a.host = text.substr(0, colon);
    a.port = static_cast<std::uint16_t>(port);
  } catch (const std::exception&) {
    throw std::invalid_argument("--store " + text + ": expected HOST:PORT with a port in 1..65535");
  }
  return a;
}

namespace {

// Flattens tensors into one (a single exchange instead of one per tensor) and back.
at::Tensor flatten_all(const std::vector<at::Tensor>& tensors) {
  std::vector<at::Tensor> flat;
  flat.reserve(tensors.size());
  for (const auto& t : tensors) flat.push_back(t.detach().reshape({-1}).to(torch::kFloat));
  return torch::cat(flat);
}

void scatter_back(const at::Tensor& flat, std::vector<at::Tensor>& tensors) {
  torch::NoGradGuard no_grad;
  std::int64_t at = 0;
  for (auto& t : tensors) {
    const auto n = t.numel();
    t.copy_(flat.slice(0, at, at + n).view_as(t));
    at += n;
  }
}

std::string where(const GroupAddress& a) { return a.host + ":" + std::to_string(a.port); }

}  // namespace

TrainingGroup::TrainingGroup(const GroupAddress& address) : address_(address), backend_(std::make_unique<Backend>()) {
  if (address.world < 2 || address.rank < 0 || address.rank >= address.world) {
    throw std::invalid_argument("a training group needs --world of 2 or more and --rank in 0.." +
                                std::to_string(address.world - 1) + " (rank " + std::to_string(address.rank) +
                                ", world " + std::to_string(address.world) + ")");
  }
  try {
    c10d::TCPStoreOptions options;
    options.port = address.port;
    options.isServer = address.rank == 0;
    options.numWorkers = static_cast<std::size_t>(address.world);
    options.waitWorkers = true;
    options.timeout = address.timeout;
    backend_->store = c10::make_intrusive<c10d::TCPStore>(address.host, options);
    auto gloo = c10d::ProcessGroupGloo::Options::create(address.timeout);
    gloo->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(address.host));
    backend_->group = c10::make_intrusive<c10d::ProcessGroupGloo>(backend_->store, address.rank, address.world, gloo);
  } catch (const std::exception& e) {
    const std::string first_line = std::string(e.what()).substr(0, std::string(e.what()).find('\n'));
    throw std::runtime_error(
        address.rank == 0
            ? "the training group at " + where(address) + " did not form: " + std::to_string(address.world - 1) +
                  " worker(s) expected within " + std::to_string(address.timeout.count()) + " s (" + first_line + ")"
            : "cannot join the training group at " + where(address) + " within " +
                  std::to_string(address.timeout.count()) + " s: " + first_line);
  }
}

TrainingGroup::~TrainingGroup() = default;

void TrainingGroup::share(GroupTick& tick) {
  std::vector<at::Tensor> t{torch::tensor({static_cast<std::int64_t>(tick.steps), std::int64_t{tick.labels},
                                           std::int64_t{tick.weights}, std::int64_t{tick.stop}})};
  backend_->broadcast(t);
  bytes_ += 4 * sizeof(std::int64_t);
  const auto v = t[0].accessor<std::int64_t, 1>();
  tick = {static_cast<int>(v[0]), v[1] != 0, v[2] != 0, v[3] != 0};
}

void TrainingGroup::share(std::vector<int>& labels) {
  std::vector<at::Tensor> t{torch::from_blob(labels.data(), {static_cast<std::int64_t>(labels.size())}, torch::kInt)
                                .clone()};
  backend_->broadcast(t);
  bytes_ += labels.size() * sizeof(int);
  std::memcpy(labels.data(), t[0].data_ptr<int>(), labels.size() * sizeof(int));
}

void TrainingGroup::check_same(std::span<const std::int64_t> signature, const std::string& what) {
  std::vector<at::Tensor> t{torch::tensor(std::vector<std::int64_t>(signature.begin(), signature.end()))};
  backend_->broadcast(t);
  const auto v = t[0].accessor<std::int64_t, 1>();
  for (std::size_t i = 0; i < signature.size(); ++i) {
    if (v[static_cast<std::int64_t>(i)] == signature[i]) continue;
    std::string theirs, ours;
    for (std::size_t k = 0; k < signature.size(); ++k) {
      theirs += (k ? " / " : "") + std::to_string(v[static_cast<std::int64_t>(k)]);
      ours += (k ? " / " : "") + std::to_string(signature[k]);
    }
    throw std::runtime_error("rank 0 trains on " + what + " " + theirs + ", this rank on " + ours +
                             ": start every rank on the same dataset and model settings");
  }
}

void TrainingGroup::broadcast(std::vector<at::Tensor>& tensors) {
  std::vector<at::Tensor> flat{flatten_all(tensors)};
  backend_->broadcast(flat);
  bytes_ += static_cast<std::uint64_t>(flat[0].numel()) * sizeof(float);
  scatter_back(flat[0], tensors);
}

void TrainingGroup::average(std::vector<at::Tensor>& tensors) {
  std::vector<at::Tensor> flat{flatten_all(tensors)};
  backend_->group->allreduce(flat)->wait();
  bytes_ += static_cast<std::uint64_t>(flat[0].numel()) * sizeof(float);
  flat[0].div_(static_cast<double>(address_.world));
  scatter_back(flat[0], tensors);
}

}  // namespace lodestone::learning
