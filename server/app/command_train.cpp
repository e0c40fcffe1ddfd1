#include "app/annotation_replay.h"
#include "app/commands.h"
#include "app/learning_context.h"
#include "app/progress.h"
#include "app/server_context.h"
#include "app/training_group_args.h"
#include "learning/blas_info.h"
#include "learning/checkpoint_store.h"
#include "learning/evaluation.h"
#include "learning/group_training.h"
#include "learning/learner.h"
#include "learning/metrics.h"
#include "learning/oracle_study.h"
#include "learning/room_mapping.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <optional>

namespace lodestone::server {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

// Offline training: by epochs (with a progress bar) or for a time budget, on the stored
// annotations or — for experiments — on oracle labels drawn from ground truth.
int command_train(const Args& args) {
  const auto data_dir = resolve_data_dir(args.option("data-dir"));
  auto db = open_store(data_dir);
  auto context = load_learning_context(db, args);
  if (!context) return 1;
  const auto config = model_config(args, *context);

  std::vector<int> labels = context->labels;
  const int per_class = static_cast<int>(args.number_or("oracle-per-class", 0));
  if (per_class > 0) {
    labels.assign(context->item_count(), learning::kUnlabelled);
    for (auto i : learning::choose_per_class(context->truth, config.num_classes, per_class, config.seed)) {
      labels[i] = context->truth[i];
    }
    spdlog::info("oracle labels: {} per class from ground truth (not stored)", per_class);
  }

  // Replayed: the annotations reach training in the order and at the pace they were made,
  // spread over the run's epochs, as they reached the server while it trained.
  std::optional<AnnotationReplay> replay;
  if (args.flag("replay-annotations")) {
    if (!args.option("epochs") || per_class > 0) {
      throw UsageError("--replay-annotations needs --epochs (the run's length) and the stored annotations, "
                       "not --oracle-per-class");
    }
    replay.emplace(db, *context);
    if (replay->annotated() == 0) throw UsageError("--replay-annotations: the dataset has no annotations to replay");
    spdlog::info("replaying {} annotations made over {:.0f} s across the run's steps", replay->annotated(),
                 replay->span_seconds());
    labels = replay->labels_at(0.0);
  }

  learning::pin_blas_threads(1);
  spdlog::info("BLAS: {}", learning::blas_description());
  learning::Learner learner(config, context->items.pixels, context->item_count());
  learner.set_labels(labels);
  spdlog::info("training dataset {} '{}': {} items, {} labelled, {} classes, {} threads, seed {}",
               context->dataset.id, context->dataset.name, context->item_count(),
               learner.labelled_count(), config.num_classes, config.threads, config.seed);

  // With --world, this process is rank 0 of a training group: workers average their
  // gradients with it every step. A group that does not form, or loses a worker, leaves
  // this process training alone.
  std::optional<learning::GroupLead> lead;
  int world = 1;
  if (const auto address = group_address(args, 0)) {
    spdlog::info("training group: waiting up to {} s for {} worker(s) at {}:{}", address->timeout.count(),
                 address->world - 1, address->host, address->port);
    try {
      lead.emplace(learner, std::make_shared<learning::TrainingGroup>(*address));
      world = address->world;
    } catch (const std::exception& e) {
      spdlog::error("{}; training alone", e.what());
    }
  }
  const auto train = [&](int steps) {
    if (lead) lead->before_steps(steps, labels);
    return learner.train(steps);
  };

  const auto start = Clock::now();
  const auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  const Box room{{-1, -1, -1}, {1, 1, 1}};
  learning::StepLosses losses;
  const auto evaluate = [&](const std::string& when) {
    const auto output = learner.infer(0, learner.item_count());
    const auto positions = learning::map_to_room(output.latent, room);
    auto m = learning::measure(output.predictions, positions, labels, context->truth);
    m.losses = losses;
    // Leave-one-out 5-NN by true class in the room: how well the room sorts every item.
    const double room_loo = learning::leave_one_out_knn_accuracy(learning::flatten(positions), 3, context->truth, 5);
    spdlog::info("{}: step {} | recon {:.2f} kl {:.2f} class {:.3f} propagated {:.3f} | labelled acc {:.3f}, "
                 "unlabelled acc {:.3f}, room 5-NN {:.3f}, room leave-one-out {:.3f}, propagated labels {:.3f}, "
                 "{} labels doubted, confident predictions {:.3f} of the unlabelled ({:.3f} right)",
                 when, learner.step(), losses.reconstruction, losses.kl, losses.classifier, losses.propagated,
                 m.labelled_accuracy, m.unlabelled_accuracy, m.knn_accuracy, room_loo,
                 learning::unlabelled_agreement(learner.propagated_classes(), labels, context->truth),
                 learner.doubted_count(), m.confident_share, m.confident_accuracy);
    return m;
  };

  // An epoch is one pass over the items by the whole group.
  const int steps_per_epoch = std::max<int>(1, static_cast<int>(context->item_count()) / (config.batch_size * world));
  std::size_t samples = 0;
  learning::Metrics metrics;
  if (args.option("epochs")) {
    const int epochs = static_cast<int>(args.number_or("epochs", 1));
    const int evaluate_every = static_cast<int>(args.number_or("evaluate-every", 1));
    if (evaluate_every < 1) throw UsageError("--evaluate-every must be at least 1");
    for (int epoch = 1; epoch <= epochs; ++epoch) {
      ProgressReporter bar("epoch " + std::to_string(epoch) + "/" + std::to_string(epochs));
      for (int step = 0; step < steps_per_epoch; step += 10) {
        if (replay) {
          const auto done = static_cast<double>((epoch - 1) * steps_per_epoch + step);
          if (auto now = replay->labels_at(done / (static_cast<double>(epochs) * steps_per_epoch)); now != labels) {
            labels = std::move(now);
            learner.set_labels(labels);
          }
        }
        losses = train(std::min(10, steps_per_epoch - step));
        samples += losses.samples;
        bar.update(static_cast<std::size_t>(std::min(step + 10, steps_per_epoch)),
                   static_cast<std::size_t>(steps_per_epoch));
      }
      bar.finish();
      if (replay && epoch == epochs) {
        // The run ends where the session did: every annotation given, the newest untrained,
        // so "unlabelled" is what the session left unlabelled.
        labels = replay->labels_at(1.0);
        learner.set_labels(labels);
      }
      if (epoch % evaluate_every != 0 && epoch != epochs) continue;
      if (replay) {
        spdlog::info("replay: {} of {} annotations given", learner.labelled_count(), replay->annotated());
      }
      metrics = evaluate("epoch " + std::to_string(epoch));
    }
  } else {
    const double seconds = args.number_or("seconds", 60);
    const double report_every = args.number_or("report-seconds", 15);
    auto last_report = Clock::now();
    while (elapsed() < seconds) {
      losses = train(20);
      samples += losses.samples;
      if (std::chrono::duration<double>(Clock::now() - last_report).count() >= report_every) {
        evaluate(std::to_string(static_cast<int>(elapsed())) + " s");
        last_report = Clock::now();
      }
    }
    metrics = evaluate("final");
  }
  const bool grouped = lead && lead->active();
  if (lead) {
    spdlog::info("training group: {:.1f} MB of tensors exchanged by this rank ({:.2f} MB a step)",
                 static_cast<double>(lead->payload_bytes()) / 1e6,
                 static_cast<double>(lead->payload_bytes()) / 1e6 / static_cast<double>(std::max<std::uint64_t>(learner.step(), 1)));
    lead->stop();
  }
  // In a group every rank trains on its own batch: the group's rate is world × this one's.
  spdlog::info("{} steps in {:.1f} s: {:.2f} steps/s, {:.0f} samples/s{}", learner.step(), elapsed(),
               static_cast<double>(learner.step()) / elapsed(), static_cast<double>(samples) / elapsed(),
               grouped ? " on this rank, " + std::to_string(world) + " ranks" : "");
  if (per_class > 0 || !context->labels.empty()) {
    const double baseline = learning::pixel_knn_accuracy(context->items.pixels, labels, context->truth);
    if (!std::isnan(baseline)) spdlog::info("baseline: 5-NN on raw pixels with the same labels {:.3f}", baseline);
  }
  if (per_class > 0 || args.flag("no-checkpoint")) return 0;  // oracle runs are experiments
  const auto folder = learning::checkpoint_folder(context->dataset.id, learner.step());
  learner.save(data_dir / folder);
  const auto id = learning::record_checkpoint(db, context->dataset.id, folder, learner.step(), metrics);
  spdlog::info("checkpoint {} saved to {}", id, (data_dir / folder).string());
  return 0;
}

}  // namespace lodestone::server
