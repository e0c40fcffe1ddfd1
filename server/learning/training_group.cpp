#include "learning/training_group.h"

#include <torch/torch.h>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

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

std::string first_line(const std::exception& e) {
  const std::string what = e.what();
  return what.substr(0, what.find('\n'));
}

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

// The local address this machine sends from towards `host` (what the other ranks can
// reach it at): a UDP socket connected there, which sends nothing, tells.
std::string local_address_towards(const std::string& host, std::uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0 || found == nullptr) {
    throw std::runtime_error("cannot resolve " + host);
  }
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in local{};
  socklen_t length = sizeof local;
  const bool ok = fd >= 0 && connect(fd, found->ai_addr, found->ai_addrlen) == 0 &&
                  getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) == 0;
  freeaddrinfo(found);
  if (fd >= 0) close(fd);
  if (!ok) throw std::runtime_error("no route from this machine to " + host);
  char text[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &local.sin_addr, text, sizeof text);
  return text;
}

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
    const auto bind = !address.bind.empty() ? address.bind
                      : address.rank == 0   ? address.host
                                            : local_address_towards(address.host, address.port);
    gloo->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(bind));
    backend_->group = c10::make_intrusive<c10d::ProcessGroupGloo>(backend_->store, address.rank, address.world, gloo);
  } catch (const std::exception& e) {
    throw std::runtime_error(
        address.rank == 0
            ? "the training group at " + where(address) + " did not form: " + std::to_string(address.world - 1) +
                  " worker(s) expected within " + std::to_string(address.timeout.count()) + " s (" + first_line(e) + ")"
            : "cannot join the training group at " + where(address) + " within " +
                  std::to_string(address.timeout.count()) + " s: " + first_line(e));
  }
}

TrainingGroup::~TrainingGroup() = default;

void TrainingGroup::share(GroupTick& tick) {
  std::vector<at::Tensor> t{torch::tensor({static_cast<std::int64_t>(tick.steps), std::int64_t{tick.labels},
                                           std::int64_t{tick.weights}, std::int64_t{tick.settings},
                                           std::int64_t{tick.stop}})};
  backend_->broadcast(t);
  bytes_ += 5 * sizeof(std::int64_t);
  const auto v = t[0].accessor<std::int64_t, 1>();
  tick = {static_cast<int>(v[0]), v[1] != 0, v[2] != 0, v[3] != 0, v[4] != 0};
}

void TrainingGroup::share(std::vector<float>& values) {
  std::vector<at::Tensor> t{torch::tensor(values)};
  backend_->broadcast(t);
  bytes_ += values.size() * sizeof(float);
  std::memcpy(values.data(), t[0].data_ptr<float>(), values.size() * sizeof(float));
}

void TrainingGroup::share(std::uint64_t& value) {
  std::vector<at::Tensor> t{torch::tensor({static_cast<std::int64_t>(value)})};
  backend_->broadcast(t);
  bytes_ += sizeof(std::int64_t);
  value = static_cast<std::uint64_t>(t[0].item<std::int64_t>());
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
