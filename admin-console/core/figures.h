#pragma once
// How the console writes numbers for a person: unknown figures (NaN on the wire) as a
// dash, accuracies as percentages, durations in words.
#include <QString>

namespace lodestone::console {

QString loss_text(float value);      // "0.1234", "—" when unknown
QString percent_text(float value);   // 0.873 → "87.3 %", "—" when unknown
QString duration_text(double seconds);  // "45 s", "3 min 12 s", "2 h 05 min"

// The spacing of a chart's time ticks over `span` seconds: 1, 2 or 5 times a power of
// ten, about five ticks, never under a second (whole-second labels never repeat).
double tick_interval(double span);

}  // namespace lodestone::console
