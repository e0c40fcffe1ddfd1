#include "figures.h"

#include <algorithm>
#include <cmath>

namespace lodestone::console {

QString loss_text(float value) {
  if (!std::isfinite(value)) return QStringLiteral("—");
  return QString::number(static_cast<double>(value), 'g', 4);
}

QString percent_text(float value) {
  if (!std::isfinite(value)) return QStringLiteral("—");
  return QStringLiteral("%1 %").arg(static_cast<double>(value) * 100.0, 0, 'f', 1);
}

QString duration_text(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return QStringLiteral("—");
  const auto total = static_cast<long long>(seconds);
  if (total < 60) return QStringLiteral("%1 s").arg(total);
  if (total < 3600) return QStringLiteral("%1 min %2 s").arg(total / 60).arg(total % 60);
  return QStringLiteral("%1 h %2 min").arg(total / 3600).arg((total % 3600) / 60, 2, 10, QLatin1Char('0'));
}

double tick_interval(double span) {
  const double rough = std::max(span, 1.0) / 5;
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  for (double step : {1.0, 2.0, 5.0}) {
    if (step * power >= rough) return std::max(1.0, step * power);
  }
  return std::max(1.0, 10 * power);
}

}  // namespace lodestone::console
