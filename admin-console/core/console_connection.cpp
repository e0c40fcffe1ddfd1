#include "console_connection.h"

#include "net/enet_link.h"

#include <algorithm>
#include <cstdio>

namespace lodestone::console {
namespace {

constexpr int kPollMs = 10;
constexpr auto kConnectDeadline = std::chrono::seconds(3);
constexpr int kMaxRetrySeconds = 8;

QString q(const std::string& text) { return QString::fromStdString(text); }

}  // namespace

QString role_name(Role role) {
  switch (role) {
    case Role::Viewer: return QStringLiteral("viewer");
    case Role::Annotator: return QStringLiteral("annotator");
    case Role::Lead: return QStringLiteral("lead");
  }
  return QStringLiteral("unknown");
}

QString kind_name(ClientKind kind) {
  switch (kind) {
    case ClientKind::Headset: return QStringLiteral("headset");
    case ClientKind::Desktop: return QStringLiteral("desktop");
    case ClientKind::Bot: return QStringLiteral("bot");
    case ClientKind::Console: return QStringLiteral("console");
    case ClientKind::Monitor: return QStringLiteral("monitor");
  }
  return QStringLiteral("unknown");
}

ConsoleConnection::ConsoleConnection(QObject* parent) : QObject(parent) {
  poll_timer_.setInterval(kPollMs);
  connect(&poll_timer_, &QTimer::timeout, this, &ConsoleConnection::service);
  retry_timer_.setSingleShot(true);
  connect(&retry_timer_, &QTimer::timeout, this, &ConsoleConnection::startAttempt);
  latency_timer_.setInterval(1000);
  connect(&latency_timer_, &QTimer::timeout, this, [this] { emit latencyChanged(latencyMs()); });
}

ConsoleConnection::~ConsoleConnection() { close(); }

void ConsoleConnection::open(const ServerAddress& address) {
  close();
  address_ = address;
  attempts_ = 0;
  retry_seconds_ = 1;
  startAttempt();
}

void ConsoleConnection::close() {
  retry_timer_.stop();
  if (peer_ != nullptr && peer_connected_) {
    // Tell the server at once rather than letting it time us out; never wait for the reply.
    enet_peer_disconnect_now(peer_, 0);
  }
  dropHost();
  if (state_ != LinkState::Disconnected) setState(LinkState::Disconnected, QStringLiteral("Not connected"));
}

void ConsoleConnection::dropHost() {
  poll_timer_.stop();
  latency_timer_.stop();
  if (host_ != nullptr) enet_host_destroy(host_);
  host_ = nullptr;
  peer_ = nullptr;
  peer_connected_ = false;
}

int ConsoleConnection::latencyMs() const {
  if (peer_ == nullptr || !peer_connected_) return -1;
  return static_cast<int>(peer_->roundTripTime);
}

bool ConsoleConnection::thumbnailsComplete() const {
  return thumbnails_.complete();
}

void ConsoleConnection::setState(LinkState state, const QString& text) {
  state_ = state;
  state_text_ = text;
  emit stateChanged(state, text);
}

void ConsoleConnection::startAttempt() {
  dropHost();
  ++attempts_;
  const QString where = address_.host + QLatin1Char(':') + QString::number(address_.port);
  std::string error;
  auto host = net::create_client_host(error);
  if (!host) {
    onLost(q(error));
    return;
  }
  ENetAddress target{};
  // Resolving a name can take a moment; the console is normally pointed at an address.
  if (enet_address_set_host(&target, address_.host.toStdString().c_str()) != 0) {
    host_ = host.release();
    onLost(QStringLiteral("cannot resolve the host name '%1'").arg(address_.host));
    return;
  }
  target.port = address_.port;
  host_ = host.release();
  peer_ = enet_host_connect(host_, &target, kChannelCount, 0);
  if (peer_ == nullptr) {
    onLost(QStringLiteral("cannot start a connection to %1").arg(where));
    return;
  }
  attempt_started_ = std::chrono::steady_clock::now();
  setState(LinkState::Connecting, QStringLiteral("Connecting to %1…").arg(where));
  poll_timer_.start();
}

void ConsoleConnection::service() {
  if (host_ == nullptr) return;
  if (!peer_connected_ && std::chrono::steady_clock::now() - attempt_started_ > kConnectDeadline) {
    onLost(QStringLiteral("no Lodestone server answered at %1:%2").arg(address_.host).arg(address_.port));
    return;
  }
  ENetEvent event;
  // Zero timeout: take what has arrived and return to the event loop.
  while (host_ != nullptr && enet_host_service(host_, &event, 0) > 0) {
    switch (event.type) {
      case ENET_EVENT_TYPE_CONNECT: onConnected(); break;
      case ENET_EVENT_TYPE_RECEIVE: {
        // Copy out first: a handler may close the connection and destroy the host.
        const std::vector<std::uint8_t> bytes(event.packet->data, event.packet->data + event.packet->dataLength);
        enet_packet_destroy(event.packet);
        onReceive(bytes.data(), bytes.size());
        break;
      }
      case ENET_EVENT_TYPE_DISCONNECT:
        onLost(QStringLiteral("the server closed the connection"));
        return;
      case ENET_EVENT_TYPE_NONE: break;
    }
  }
}

void ConsoleConnection::onConnected() {
  peer_connected_ = true;
  Hello hello;
  hello.kind = ClientKind::Console;
  hello.token = address_.token.toStdString();
  hello.client_name = "lodestone-console";
  // Thumbnails we already hold complete need not travel again after a reconnect.
  hello.cached_thumbnails_hash = thumbnailsComplete() ? thumbnails_.content_hash() : 0;
  net::send_message(peer_, kControlChannel, hello);
}

void ConsoleConnection::onLost(const QString& why) {
  const bool was_joined = state_ == LinkState::Joined;
  dropHost();
  if (state_ == LinkState::Refused) return;  // the refusal already said why; do not retry
  if (was_joined) retry_seconds_ = 1;
  const int wait = retry_seconds_;
  retry_seconds_ = std::min(retry_seconds_ * 2, kMaxRetrySeconds);
  setState(LinkState::Waiting,
           QStringLiteral("%1 — %2; trying again in %3 s").arg(was_joined ? QStringLiteral("Connection lost")
                                                                            : QStringLiteral("Not connected"),
                                                               why)
               .arg(wait));
  retry_timer_.start(wait * 1000);
}

bool ConsoleConnection::sendControl(const std::vector<std::uint8_t>& bytes) {
  if (state_ != LinkState::Joined || peer_ == nullptr) return false;
  return net::send(peer_, kControlChannel, bytes);
}

void ConsoleConnection::onReceive(const std::uint8_t* data, std::size_t size) {
  auto decoded = decode_message(std::span(data, size));
  if (!decoded) {
    // One unreadable message is not worth dropping the connection over; say so.
    setState(state_, state_text_ + QStringLiteral(" (the server sent an unreadable message: %1)")
                                       .arg(q(decoded.error().describe())));
    return;
  }
  onMessage(*decoded);
}

void ConsoleConnection::onMessage(Message& message) {
  std::visit(
      [&](auto& m) {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, Welcome>) {
          welcome_ = m;
          latency_timer_.start();
          setState(LinkState::Joined, QStringLiteral("Connected to %1:%2 as %3 (%4)")
                                          .arg(address_.host)
                                          .arg(address_.port)
                                          .arg(q(m.user_name), role_name(m.role)));
          emit welcomed(m);
        } else if constexpr (std::is_same_v<M, Refusal>) {
          if (m.code == RefusalCode::ShuttingDown) {
            onLost(QStringLiteral("the server is shutting down"));
          } else {
            setState(LinkState::Refused, QStringLiteral("Refused: %1").arg(q(m.message)));
            emit refused(q(m.message));
            dropHost();
          }
        } else if constexpr (std::is_same_v<M, DatasetDescription>) {
          if (m.thumbnails_hash != thumbnails_.content_hash() || !thumbnailsComplete()) {
            thumbnails_.reset(m.thumbnails_hash, m.item_count, std::size_t{m.width} * m.height * m.channels);
          }
          labels_.clear();
          dataset_ = m;
          emit datasetChanged();
          if (thumbnailsComplete()) emit thumbnailsReady();
        } else if constexpr (std::is_same_v<M, LabelSet>) {
          label_set_ = m;
          emit labelSetChanged();
        } else if constexpr (std::is_same_v<M, LabelsChanged>) {
          if (m.full) labels_.clear();
          for (const auto& l : m.labels) {
            if (l.class_id == kNoClass) labels_.erase(l.item_index);
            else labels_[l.item_index] = l.class_id;
          }
          emit labelsChanged();
        } else if constexpr (std::is_same_v<M, ThumbnailTiles>) {
          // Never trust the items: each tile must fall inside the announced set.
          std::string why;
          if (!thumbnails_.apply(m, why)) {
            std::fprintf(stderr, "thumbnails from the server ignored: %s\n", why.c_str());
          } else if (thumbnailsComplete()) {
            emit thumbnailsReady();
          }
        } else if constexpr (std::is_same_v<M, Snapshot>) {
          // The console draws no cloud, but acknowledging keeps the server on small deltas
          // instead of a keyframe for us every 30 ticks.
          if (peer_ != nullptr) net::send_message(peer_, kControlChannel, SnapshotAck{m.seq});
        } else if constexpr (std::is_same_v<M, TrainingStatus>) {
          emit trainingStatus(m);
        } else if constexpr (std::is_same_v<M, RecentTraining>) {
          emit recentTraining(m);
        } else if constexpr (std::is_same_v<M, ServerStatus>) {
          emit serverStatus(m);
        } else if constexpr (std::is_same_v<M, ListReply>) {
          emit listReceived(m);
        } else if constexpr (std::is_same_v<M, AdminResult>) {
          emit resultReceived(m);
        } else if constexpr (std::is_same_v<M, OperationProgress>) {
          emit progressReceived(m);
        }
      },
      message);
}

}  // namespace lodestone::console
