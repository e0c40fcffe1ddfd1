#include "room/admin_handler.h"

#include "access/token_store.h"
#include "annotation/class_editing.h"
#include "annotation/room_settings.h"
#include "annotation/sphere_store.h"
#include "dataset/dataset_store.h"
#include "learning/checkpoint_store.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <filesystem>

namespace lodestone::room {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kMaxConflictRows = 1000;

double seconds_between(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

AdminResult done(std::uint64_t request_id, std::string message, std::string detail = {}) {
  return {request_id, std::nullopt, std::move(message), std::move(detail)};
}

AdminResult failed(std::uint64_t request_id, RefusalCode code, std::string message) {
  return {request_id, code, std::move(message), {}};
}

float nan_if_unknown(double v) { return static_cast<float>(v); }

std::uint64_t database_bytes(store::Database& db) {
  auto pages = db.prepare("PRAGMA page_count");
  auto size = db.prepare("PRAGMA page_size");
  if (!pages.step() || !size.step()) return 0;
  return static_cast<std::uint64_t>(pages.int64(0) * size.int64(0));
}

}  // namespace

void AdminHandler::reply(Session& session, const AdminResult& result) {
  if (!result.ok()) spdlog::warn("{}: request {} refused: {}", session.identity.user_name, result.request_id, result.message);
  net::send_message(session.peer, kControlChannel, result);
}

bool AdminHandler::lead_only(Session& session, std::uint64_t request_id, const char* what) {
  if (session.identity.role == Role::Lead) return true;
  spdlog::warn("{} ({}) asked to {}: refused, leads only", session.identity.user_name,
               access::role_name(session.identity.role), what);
  net::send_message(session.peer, kControlChannel,
                    failed(request_id, RefusalCode::Forbidden, std::string("only a project lead may ") + what));
  return false;
}

AdminReply AdminHandler::deferred_reply(const Session& session) {
  return [this, serial = session.serial](Bytes bytes) {
    std::lock_guard lock(outbox_mutex_);
    outbox_.emplace_back(serial, std::move(bytes));
  };
}

void AdminHandler::deliver_deferred_replies() {
  std::vector<std::pair<std::uint64_t, Bytes>> ready;
  {
    std::lock_guard lock(outbox_mutex_);
    ready.swap(outbox_);
  }
  for (auto& [serial, bytes] : ready) {
    if (Session* session = sessions_.find(serial)) net::send(session->peer, kControlChannel, bytes);
  }
}

void AdminHandler::handle(Session& session, const StatusRequest& request) {
  ServerStatus status;
  status.request_id = request.request_id;
  status.server_version = LODESTONE_VERSION;
  status.uptime_seconds = seconds_between(room_.started, Clock::now());
  status.dataset_id = room_.description.dataset_id;
  status.dataset_name = room_.description.name;
  status.item_count = room_.description.item_count;
  sessions_.for_each([&](const Session& s) {
    if (!s.authenticated) return;
    status.leads += s.identity.role == Role::Lead;
    status.annotators += s.identity.role == Role::Annotator;
    status.viewers += s.identity.role == Role::Viewer;
  });
  status.snapshot_rate = static_cast<float>(room_.rates.snapshots_per_client);
  status.bytes_out_per_second = static_cast<float>(room_.rates.bytes_out);
  if (const auto room = room_.trainer.latest()) {
    status.training_step = room->step;
    status.reconstruction_loss = room->metrics.losses.reconstruction;
    status.kl_loss = room->metrics.losses.kl;
    status.classifier_loss = room->metrics.losses.classifier;
  }
  status.training_paused = room_.trainer.paused();
  status.acceptance_threshold = room_.predictions.threshold();
  status.labelled_count = static_cast<std::uint32_t>(room_.labels.labelled_count());
  try {
    status.conflict_count = static_cast<std::uint32_t>(annotation::conflict_count(room_.db, room_.description.dataset_id));
    status.database_bytes = database_bytes(room_.db);
    if (const auto last = learning::latest_checkpoint(room_.db, room_.description.dataset_id)) {
      status.last_checkpoint_id = last->id;
      status.last_checkpoint_step = last->step;
      status.last_checkpoint_at = last->created_at;
    }
  } catch (const std::exception& e) {
    spdlog::warn("status: cannot read the store: {}", e.what());
  }
  net::send_message(session.peer, kControlChannel, status);
}

void AdminHandler::handle(Session& session, const ListRequest& request) {
  if (!lead_only(session, request.request_id, "list datasets, checkpoints, tokens or annotators")) return;
  try {
    net::send_message(session.peer, kControlChannel, list(request));
  } catch (const std::exception& e) {
    spdlog::error("listing for {} failed: {}", session.identity.user_name, e.what());
    reply(session, failed(request.request_id, RefusalCode::StorageFailure, "cannot read the store: " + store::client_reason(e)));
  }
}

ListReply AdminHandler::list(const ListRequest& request) {
  // Conflicts and activity are read from the per-item history, which trails the newest
  // acknowledgement by moments: give it a little time to catch up, but never hold the
  // room (and every client's snapshots) for a long backlog; the console asks again.
  if (request.what == ListKind::Datasets || request.what == ListKind::Conflicts ||
      request.what == ListKind::Annotators) {
    room_.writer->wait_idle_for(std::chrono::milliseconds(100));
  }
  ListReply out;
  out.request_id = request.request_id;
  out.what = request.what;
  const auto shown = room_.description.dataset_id;
  switch (request.what) {
    case ListKind::Datasets:
      for (const auto& d : dataset::list_datasets(room_.db)) {
        DatasetRow row{d.id, d.name, d.source_kind, d.created_at, static_cast<std::uint32_t>(d.item_count), 0, 0,
                       d.id == shown, {}, static_cast<std::uint32_t>(d.recordings),
                       static_cast<std::uint32_t>(d.sample_rate), static_cast<float>(d.audio_seconds)};
        if (d.id == shown) {
          row.per_class = room_.labels.per_class();
          row.labelled = static_cast<std::uint32_t>(room_.labels.labelled_count());
        } else {
          row.labelled = static_cast<std::uint32_t>(annotation::current_labels(room_.db, d.id).size());
        }
        row.conflicts = static_cast<std::uint32_t>(annotation::conflict_count(room_.db, d.id));
        out.datasets.push_back(std::move(row));
      }
      break;
    case ListKind::Checkpoints: {
      const auto active = operations_ ? operations_->active_checkpoint() : 0;
      for (const auto& c : learning::list_checkpoints(room_.db, shown)) {
        const auto& m = c.metrics;
        out.checkpoints.push_back({c.id, c.created_at, c.step, static_cast<std::uint32_t>(c.labelled_count),
                                   m.losses.reconstruction, m.losses.kl, m.losses.classifier,
                                   nan_if_unknown(m.labelled_accuracy), nan_if_unknown(m.unlabelled_accuracy),
                                   nan_if_unknown(m.knn_accuracy), c.id == active});
      }
      break;
    }
    case ListKind::Tokens:
      for (const auto& t : access::list_tokens(room_.db)) {
        out.tokens.push_back({t.token_id, t.user_name, t.role, t.created_at, t.revoked_at.value_or("")});
      }
      break;
    case ListKind::Online:
      sessions_.for_each([&](const Session& s) {
        if (!s.authenticated) return;
        out.online.push_back({s.identity.user_id, s.identity.user_name, s.identity.role, s.kind,
                              net::peer_address(s.peer), seconds_between(s.connected_at, Clock::now()),
                              seconds_between(s.last_activity, Clock::now()),
                              room_.muted_voices.count(s.identity.user_id) != 0});
      });
      break;
    case ListKind::Conflicts:
      for (const auto& c : annotation::list_conflicts(room_.db, shown, kMaxConflictRows)) {
        ConflictRow row;
        row.item_index = room_.index_of(c.item_id);
        row.current_class = room_.labels.class_of(row.item_index);
        for (const auto& [user, cls] : c.labels) {
          row.annotators.push_back(user);
          row.classes.push_back(cls);
        }
        out.conflicts.push_back(std::move(row));
      }
      break;
    case ListKind::Classes:
      out.classes = class_counts();
      break;
    case ListKind::Annotators:
      for (const auto& a : annotation::annotator_activity(room_.db, shown)) {
        const auto current = room_.labels.count_by(a.user_id);
        out.annotators.push_back({a.user_id, a.name, static_cast<std::uint32_t>(a.annotations),
                                  static_cast<std::uint32_t>(current), a.last_at});
      }
      break;
  }
  return out;
}

std::vector<ClassCountRow> AdminHandler::class_counts() const {
  const auto& classes = room_.labels.label_set().classes;
  std::vector<ClassCountRow> rows(classes.size());
  for (std::size_t c = 0; c < classes.size(); ++c) rows[c].class_id = classes[c].id;
  const float threshold = room_.predictions.threshold();
  const auto& labels = room_.labels;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (const int label = labels.position_of(i); label >= 0) {
      auto& row = rows[static_cast<std::size_t>(label)];
      ++(labels.origin(i) == annotation::LabelOrigin::Accepted ? row.accepted : row.manual);
      continue;
    }
    if (!room_.model_predictions || i >= room_.model_predictions->size()) continue;
    const auto& p = (*room_.model_predictions)[i];
    if (p.class_index < 0 || static_cast<std::size_t>(p.class_index) >= rows.size() || p.confidence < threshold) continue;
    auto& row = rows[static_cast<std::size_t>(p.class_index)];
    ++row.predicted;
    if (const int truth = labels.truth_position(i); truth >= 0) {
      ++row.predicted_with_truth;
      row.predicted_right += truth == p.class_index;
    }
  }
  return rows;
}

void AdminHandler::handle(Session& session, const ClassCommand& command) {
  if (!lead_only(session, command.request_id, "edit the label set")) return;
  intents_.finish_queued();  // labels received before this change are stored under the old set
  const auto dataset_id = room_.description.dataset_id;
  const auto lead = session.identity.user_id;
  annotation::ClassEdit edit;
  try {
    switch (command.op) {
      case ClassOp::Create: edit = annotation::create_class(room_.db, dataset_id, lead, command.name, command.color); break;
      case ClassOp::Edit:
        edit = annotation::edit_class(room_.db, dataset_id, lead, command.class_id, command.name, command.color, command.position);
        break;
      case ClassOp::Merge: edit = annotation::merge_class(room_.db, dataset_id, lead, command.class_id, command.into_class_id); break;
      case ClassOp::Delete: edit = annotation::delete_class(room_.db, dataset_id, lead, command.class_id); break;
      default: return reply(session, failed(command.request_id, RefusalCode::Malformed, "unknown class operation"));
    }
  } catch (const annotation::ClassEditError& e) {
    return reply(session, failed(command.request_id, RefusalCode::Failed, e.what()));
  } catch (const std::exception& e) {
    spdlog::error("storing {}'s label set change failed: {}", session.identity.user_name, e.what());
    return reply(session, failed(command.request_id, RefusalCode::StorageFailure,
                                 "the label set could not be stored: " + store::client_reason(e)));
  }
  // The room, the model and every client move to the new label set together.
  std::vector<IndexedChange> relabelled;
  relabelled.reserve(edit.relabelled.size());
  for (const auto& change : edit.relabelled) relabelled.emplace_back(room_.index_of(change.item_id), change);
  room_.labels.change_label_set(edit.after, edit.new_of_old, lead, relabelled);
  room_.trainer.change_classes(edit.old_of_new, edit.new_of_old, room_.labels.positions());
  sessions_.broadcast(encode(room_.labels.label_set()), kControlChannel);
  sessions_.broadcast(encode(LabelsChanged{true, room_.labels.all()}), kControlChannel);
  room_.predictions.retell_all();  // class positions moved: the next predictions go whole
  for (const auto& sphere : annotation::live_spheres(room_.db, dataset_id)) {
    sessions_.broadcast(encode(SphereUpdate{sphere}), kControlChannel);
  }
  if (!edit.relabelled.empty()) room_.writer->reload_labels();
  spdlog::info("{}: {}", session.identity.user_name, edit.summary);
  reply(session, done(command.request_id, edit.summary));
}

void AdminHandler::handle(Session& session, const CheckpointCommand& command) {
  if (!lead_only(session, command.request_id, "save, restore or delete checkpoints")) return;
  if (!operations_) return reply(session, failed(command.request_id, RefusalCode::Failed, "checkpoints are not available on this server"));
  operations_->checkpoint(command, deferred_reply(session));
}

void AdminHandler::handle(Session& session, const TrainingCommand& command) {
  if (!lead_only(session, command.request_id, "control training")) return;
  std::string summary;
  if (command.set_paused) {
    room_.trainer.set_paused(command.paused);
    summary = command.paused ? "training paused" : "training resumed";
  }
  const std::array<float, 4> asked{command.learning_rate, command.kl_weight, command.classifier_weight,
                                   command.consistency_weight};
  if (std::any_of(asked.begin(), asked.end(), [](float v) { return !std::isnan(v); })) {
    if (std::any_of(asked.begin(), asked.end(), [](float v) { return !std::isnan(v) && !(v >= 0 && v < 1e6f); }) ||
        (!std::isnan(command.learning_rate) && !(command.learning_rate > 0 && command.learning_rate <= 1))) {
      return reply(session, failed(command.request_id, RefusalCode::Malformed,
                                   "the learning rate must be in (0, 1] and the loss weights finite and not negative"));
    }
    room_.trainer.run([asked](learning::Learner& learner) {
      const auto& c = learner.config();
      auto pick = [](float v, float current) { return std::isnan(v) ? current : v; };
      learner.set_training_parameters(pick(asked[0], c.learning_rate), pick(asked[1], c.kl_weight),
                                      pick(asked[2], c.classifier_weight), pick(asked[3], c.consistency_weight));
    });
    summary += std::string(summary.empty() ? "" : "; ") + "training parameters changed";
  }
  if (command.set_threshold) {
    if (!(command.acceptance_threshold >= 0.5f && command.acceptance_threshold <= 1.0f)) {
      return reply(session, failed(command.request_id, RefusalCode::Malformed,
                                   "the acceptance threshold must be in [0.5, 1] (a confidence)"));
    }
    try {
      set_acceptance_threshold(command.acceptance_threshold);
    } catch (const std::exception& e) {
      spdlog::error("storing the acceptance threshold failed: {}", e.what());
      return reply(session, failed(command.request_id, RefusalCode::StorageFailure,
                                   "the threshold could not be stored: " + store::client_reason(e)));
    }
    summary += std::string(summary.empty() ? "" : "; ") +
               fmt::format("acceptance threshold {:.2f}", command.acceptance_threshold);
  }
  if (summary.empty()) summary = "nothing to change";
  record_admin_action(session, "training", summary);
  spdlog::info("{}: {}", session.identity.user_name, summary);
  reply(session, done(command.request_id, summary));
}

void AdminHandler::handle(Session& session, const TokenCommand& command) {
  if (!lead_only(session, command.request_id, "create or revoke tokens")) return;
  try {
    if (command.op == TokenOp::Create) {
      if (command.user_name.empty()) return reply(session, failed(command.request_id, RefusalCode::Malformed, "a token needs a user name"));
      const auto created = access::create_token(room_.db, command.user_name, command.role);
      record_admin_action(session, "token.create", command.user_name + " as " + access::role_name(command.role));
      return reply(session, done(command.request_id,
                                 std::string(access::role_name(command.role)) + " token " +
                                     std::to_string(created.token_id) + " created for " + command.user_name +
                                     "; it is shown only this once",
                                 created.secret));
    }
    if (command.op == TokenOp::Revoke) {
      if (!access::revoke_token(room_.db, command.token_id)) {
        return reply(session, failed(command.request_id, RefusalCode::NotFound,
                                     "there is no live token with id " + std::to_string(command.token_id)));
      }
      record_admin_action(session, "token.revoke", std::to_string(command.token_id));
      hooks_.check_sessions();  // the holder's session ends now, not at the next check
      return reply(session, done(command.request_id, "token " + std::to_string(command.token_id) + " revoked"));
    }
    reply(session, failed(command.request_id, RefusalCode::Malformed, "unknown token operation"));
  } catch (const std::exception& e) {
    spdlog::error("token command from {} failed: {}", session.identity.user_name, e.what());
    reply(session, failed(command.request_id, RefusalCode::StorageFailure, "the token store failed: " + store::client_reason(e)));
  }
}

void AdminHandler::handle(Session& session, const ResolveConflict& request) {
  if (!lead_only(session, request.request_id, "resolve conflicts")) return;
  if (request.item_index >= room_.item_ids.size()) {
    return reply(session, failed(request.request_id, RefusalCode::NotFound, "there is no item " + std::to_string(request.item_index)));
  }
  if (!room_.labels.knows(request.class_id)) {
    return reply(session, failed(request.request_id, RefusalCode::NotFound,
                                 "there is no class with id " + std::to_string(request.class_id)));
  }
  const auto item = room_.item_ids[request.item_index];
  intents_.finish_queued();  // the resolution is the newest label, after every earlier intent
  std::vector<annotation::LabelChange> written;
  try {
    store::Transaction tx(room_.db);
    const auto action = annotation::record_action(room_.db, session.identity.user_id, "conflict.resolve",
                                                  "item " + std::to_string(item));
    written = annotation::write_annotations(room_.db, session.identity.user_id, std::nullopt, {{item, request.class_id}},
                                            action, /*in_transaction=*/true);
    tx.commit();
  } catch (const std::exception& e) {
    spdlog::error("storing {}'s conflict resolution failed: {}", session.identity.user_name, e.what());
    return reply(session, failed(request.request_id, RefusalCode::StorageFailure, "not stored: " + store::client_reason(e)));
  }
  room_.writer->reload_labels();
  intents_.publish_stored_labels(session.identity.user_id, written);
  reply(session, done(request.request_id, "item " + std::to_string(request.item_index) + " labelled"));
}

void AdminHandler::handle(Session& session, const VoiceCommand& command) {
  if (!lead_only(session, command.request_id, "mute voices")) return;
  std::string who = "user " + std::to_string(command.user_id);
  sessions_.for_each([&](const Session& s) {
    if (s.authenticated && s.identity.user_id == command.user_id) who = s.identity.user_name;
  });
  if (command.muted) {
    room_.muted_voices.insert(command.user_id);
  } else {
    room_.muted_voices.erase(command.user_id);
  }
  spdlog::info("{} {} {}'s voice", session.identity.user_name, command.muted ? "muted" : "unmuted", who);
  reply(session, done(command.request_id, who + (command.muted ? " is muted for the room" : " may speak again")));
}

void AdminHandler::handle(Session& session, const ImportRequest& request) {
  if (!lead_only(session, request.request_id, "import datasets")) return;
  if (!operations_) return reply(session, failed(request.request_id, RefusalCode::Failed, "import is not available on this server"));
  operations_->import_dataset(request, deferred_reply(session));
}

void AdminHandler::handle(Session& session, const ExportRequest& request) {
  if (!lead_only(session, request.request_id, "export datasets")) return;
  if (!operations_) return reply(session, failed(request.request_id, RefusalCode::Failed, "export is not available on this server"));
  operations_->export_dataset(request, deferred_reply(session));
}

void AdminHandler::fail(Session& session, std::uint64_t request_id, const std::string& why) {
  reply(session, failed(request_id, RefusalCode::StorageFailure, why));
}

void AdminHandler::set_acceptance_threshold(float threshold) {
  annotation::write_room_setting(room_.db, "acceptance_threshold", std::to_string(threshold));
  room_.predictions.set_threshold(threshold);
  hooks_.tell_predictions();  // clients hear the new threshold at once
}

void AdminHandler::record_admin_action(const Session& session, const std::string& action, const std::string& detail) {
  try {
    annotation::record_action(room_.db, session.identity.user_id, action, detail);
  } catch (const std::exception& e) {
    spdlog::warn("cannot record {} in the audit log: {}", action, e.what());
  }
}

}  // namespace lodestone::room
