// A training group inside one process: two ranks on two threads over loopback, as two
// machines would be, with the real c10d store and Gloo backend.
#include "learning/group_training.h"
#include "learning/learner.h"
#include "learning/toy_data.h"
#include "learning/training_group.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <future>
#include <random>

#include <unistd.h>

namespace lodestone::learning {
namespace {

GroupAddress rank_address(int rank, std::uint16_t port) {
  GroupAddress a;
  a.port = port;
  a.rank = rank;
  a.world = 2;
  a.timeout = std::chrono::seconds(20);
  return a;
}

std::uint16_t test_port(int offset) { return static_cast<std::uint16_t>(20000 + (getpid() * 7 + offset) % 10000); }

TEST(TrainingGroupExchange, AveragesBroadcastsAndSharesWhatRankZeroDecides) {
  const auto port = test_port(1);
  auto other = std::async(std::launch::async, [&] {
    TrainingGroup group(rank_address(1, port));
    std::vector<at::Tensor> mean{torch::tensor({3.0f, 4.0f, 5.0f}), torch::full({2, 2}, 10.0f)};
    group.average(mean);
    std::vector<at::Tensor> from_zero{torch::zeros({3})};
    group.broadcast(from_zero);
    GroupTick tick;  // rank 1's own values are overwritten by rank 0's
    group.share(tick);
    std::vector<int> labels(5, -1);
    group.share(labels);
    return std::tuple{mean, from_zero[0], tick, labels};
  });
  TrainingGroup group(rank_address(0, port));
  std::vector<at::Tensor> mean{torch::tensor({1.0f, 2.0f, 3.0f}), torch::full({2, 2}, 0.0f)};
  group.average(mean);
  std::vector<at::Tensor> from_zero{torch::tensor({7.0f, 8.0f, 9.0f})};
  group.broadcast(from_zero);
  GroupTick tick{5, true, false, false};
  group.share(tick);
  std::vector<int> labels{0, 1, -1, 1, 0};
  group.share(labels);
  const auto [their_mean, their_copy, their_tick, their_labels] = other.get();

  for (const auto& m : {mean, their_mean}) {
    EXPECT_TRUE(torch::equal(m[0], torch::tensor({2.0f, 3.0f, 4.0f})));
    EXPECT_TRUE(torch::equal(m[1], torch::full({2, 2}, 5.0f)));
  }
  EXPECT_TRUE(torch::equal(their_copy, torch::tensor({7.0f, 8.0f, 9.0f})));
  EXPECT_EQ(their_tick.steps, 5);
  EXPECT_TRUE(their_tick.labels);
  EXPECT_FALSE(their_tick.stop);
  EXPECT_EQ(their_labels, labels);
  EXPECT_GT(group.payload_bytes(), 0u);
}

ModelConfig small_config(std::uint64_t seed) {
  ModelConfig c;
  c.width = c.height = 8;
  c.num_classes = 2;
  c.batch_size = 16;
  c.labelled_per_batch = 4;
  c.threads = 1;
  c.seed = seed;
  return c;
}

// Each rank samples its own batches, yet the averaged gradients keep both on one model:
// started from different seeds, after rounds of steps they embed every item alike.
TEST(TrainingGroupExchange, RanksStartFromRankZerosWeightsAndStayTogether) {
  constexpr std::size_t kItems = 120;
  const auto pixels = toy_dataset(kItems, 4).pixels;
  std::vector<int> labels(kItems, kUnlabelled);
  labels[0] = 0, labels[1] = 1;
  const auto port = test_port(2);
  auto worker = std::async(std::launch::async, [&] {
    Learner learner(small_config(99), pixels, kItems);
    const int code = follow_group_lead(learner, std::make_shared<TrainingGroup>(rank_address(1, port)));
    return std::pair{code, learner.infer(0, kItems).latent};
  });
  Learner learner(small_config(1), pixels, kItems);
  learner.set_labels(labels);
  GroupLead lead(learner, std::make_shared<TrainingGroup>(rank_address(0, port)));
  for (int round = 0; round < 6; ++round) {
    lead.before_steps(5, labels);
    learner.train(5);
  }
  EXPECT_TRUE(lead.active());
  lead.stop();
  const auto [code, theirs] = worker.get();
  EXPECT_EQ(code, 0);
  const auto ours = learner.infer(0, kItems).latent;
  ASSERT_EQ(ours.size(), theirs.size());
  float widest = 0;
  for (std::size_t i = 0; i < ours.size(); ++i) {
    widest = std::max({widest, std::abs(ours[i].x - theirs[i].x), std::abs(ours[i].y - theirs[i].y),
                       std::abs(ours[i].z - theirs[i].z)});
  }
  EXPECT_LT(widest, 1e-3f) << "the two ranks drifted apart";
}

}  // namespace
}  // namespace lodestone::learning
