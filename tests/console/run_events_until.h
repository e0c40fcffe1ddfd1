#pragma once
// The console tests' wait: runs the console's event loop (and `each_turn`, for clients
// the test drives beside it) until `done` or the timeout; false on the timeout.
#include <QApplication>
#include <QElapsedTimer>
#include <QThread>

#include <functional>

namespace lodestone::console {

inline bool run_events_until(const std::function<bool()>& done, int timeout_ms,
                             const std::function<void()>& each_turn = {}) {
  QElapsedTimer timer;
  timer.start();
  while (!done()) {
    if (timer.elapsed() > timeout_ms) return false;
    QApplication::processEvents(QEventLoop::AllEvents, 5);
    if (each_turn) each_turn();
    QThread::msleep(2);
  }
  return true;
}

}  // namespace lodestone::console
