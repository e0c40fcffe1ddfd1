#include "lodestone/messages.h"

namespace lodestone {

const char* message_name(std::uint16_t type) {
  switch (type) {
#define LODESTONE_NAME(name, id, max) \
  case id:                            \
    return #name;
    LODESTONE_MESSAGES(LODESTONE_NAME)
#undef LODESTONE_NAME
    default:
      return "unknown";
  }
}

std::size_t max_payload_for(std::uint16_t type) {
  switch (type) {
#define LODESTONE_MAX(name, id, max) \
  case id:                           \
    return MessageTraits<name>::max_payload;
    LODESTONE_MESSAGES(LODESTONE_MAX)
#undef LODESTONE_MAX
    default:
      return 0;
  }
}

const char* intent_name(IntentKind kind) {
  switch (kind) {
    case IntentKind::CreateSphere: return "create sphere";
    case IntentKind::MoveSphere: return "move sphere";
    case IntentKind::ResizeSphere: return "resize sphere";
    case IntentKind::DeleteSphere: return "delete sphere";
    case IntentKind::AssignClass: return "assign class";
    case IntentKind::EraseLabels: return "erase labels";
    case IntentKind::Undo: return "undo";
    case IntentKind::AcceptPredictions: return "accept predictions";
  }
  return "unknown intent";
}

}  // namespace lodestone
