#pragma once
// Server answers in words a project lead understands: what was refused and why, with
// the server's own message kept verbatim after it.
#include "lodestone/admin_messages.h"

#include <QString>

namespace lodestone::console {

QString describe_result(const AdminResult& result);
QString describe_progress(const OperationProgress& progress);

}  // namespace lodestone::console
