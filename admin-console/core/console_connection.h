#pragma once
// One connection from the console to a running lodestone-server, over the same protocol
// and ENet channels as every client. ENet is not thread-safe, so the host lives on the
// thread that owns this object and is serviced by a 10 ms timer with a zero timeout:
// nothing here ever blocks the event loop. Every message that arrives becomes a signal.
#include "lodestone/envelope.h"
#include "lodestone/thumbnail_tiles.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>
#include <map>
#include <optional>
#include <vector>

struct _ENetHost;
struct _ENetPeer;

namespace lodestone::console {

struct ServerAddress {
  QString host = QStringLiteral("127.0.0.1");
  quint16 port = 7777;
  QString token;
};

enum class LinkState {
  Disconnected,  // not asked to connect, or closed
  Connecting,    // waiting for ENet's connect and the server's welcome
  Joined,        // welcomed: requests may be sent
  Waiting,       // lost or unreachable; the next attempt is scheduled
  Refused,       // the server refused us (bad or revoked token, old protocol): no retry
};

class ConsoleConnection final : public QObject {
  Q_OBJECT
 public:
  explicit ConsoleConnection(QObject* parent = nullptr);
  ~ConsoleConnection() override;

  // Connects, and reconnects after a loss until close() or a refusal.
  void open(const ServerAddress& address);
  void close();

  LinkState state() const { return state_; }
  // A sentence for the status bar ("Connected to 127.0.0.1:7777 as lea (lead)").
  QString stateText() const { return state_text_; }
  const ServerAddress& address() const { return address_; }
  int latencyMs() const;  // ENet's smoothed round trip; -1 when not connected
  int attempts() const { return attempts_; }

  // What the server has told us, as it sent it.
  const std::optional<Welcome>& welcome() const { return welcome_; }
  const std::optional<DatasetDescription>& dataset() const { return dataset_; }
  const LabelSet& labelSet() const { return label_set_; }
  const std::map<std::uint32_t, ClassId>& labels() const { return labels_; }
  std::span<const std::uint8_t> thumbnails() const { return thumbnails_.blob(); }
  bool thumbnailsComplete() const;

  // Sends a request with a fresh request id and returns that id; 0 when not joined.
  template <class M>
  quint64 request(M message) {
    message.request_id = next_request_++;
    return sendControl(encode(message)) ? message.request_id : 0;
  }
  quint64 requestStatus() { return request(StatusRequest{}); }
  quint64 requestList(ListKind what) { return request(ListRequest{0, what}); }

 signals:
  void stateChanged(lodestone::console::LinkState state, const QString& text);
  void welcomed(const lodestone::Welcome& welcome);
  void refused(const QString& reason);
  void datasetChanged();
  void labelSetChanged();
  void labelsChanged();
  void thumbnailsReady();
  void trainingStatus(const lodestone::TrainingStatus& status);
  // On joining: the room's training figures of the last hour.
  void recentTraining(const lodestone::RecentTraining& history);
  void serverStatus(const lodestone::ServerStatus& status);
  void listReceived(const lodestone::ListReply& reply);
  void resultReceived(const lodestone::AdminResult& result);
  void progressReceived(const lodestone::OperationProgress& progress);
  void latencyChanged(int ms);

 private:
  void startAttempt();
  void service();
  void onConnected();
  void onLost(const QString& why);
  void onReceive(const std::uint8_t* data, std::size_t size);
  void onMessage(Message& message);
  bool sendControl(const std::vector<std::uint8_t>& bytes);
  void setState(LinkState state, const QString& text);
  void dropHost();

  ServerAddress address_;
  _ENetHost* host_ = nullptr;
  _ENetPeer* peer_ = nullptr;
  bool peer_connected_ = false;
  LinkState state_ = LinkState::Disconnected;
  QString state_text_ = QStringLiteral("Not connected");
  QTimer poll_timer_, retry_timer_, latency_timer_;
  std::chrono::steady_clock::time_point attempt_started_;
  int attempts_ = 0;
  int retry_seconds_ = 1;
  quint64 next_request_ = 1;

  std::optional<Welcome> welcome_;
  std::optional<DatasetDescription> dataset_;
  LabelSet label_set_;
  std::map<std::uint32_t, ClassId> labels_;
  ThumbnailTileSet thumbnails_;  // kept across reconnections: a complete set is named in the hello
};

QString role_name(Role role);
QString kind_name(ClientKind kind);

}  // namespace lodestone::console
