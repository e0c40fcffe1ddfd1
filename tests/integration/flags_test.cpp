// Every program holds its flags to their type and bounds: a value out of range, negative
// where a count is wanted, or not a number stops the program with the flag, the value and
// what is allowed, never a silent wrap (a port of 70000 once listened on 4464).
#include "support/server_process.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lodestone {
namespace {

using testing::run_with_stderr;

TEST(Flags, TheServerRefusesValuesOutsideASettingsBounds) {
  testing::ServerProcess server(40, 4);
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  const std::vector<Case> cases = {
      {{"serve", "--port", "70000"}, "--port must be between 0 and 65535, not 70000"},
      {{"serve", "--port", "-1"}, "--port must be between 0 and 65535, not -1"},
      {{"serve", "--snapshot-rate", "0"}, "--snapshot-rate must be between 0.1 and 120, not 0"},
      {{"serve", "--threads", "two"}, "--threads expects a number, not 'two'"},
      {{"serve", "--max-peers", "2.5"}, "--max-peers expects a whole number, not 2.5"},
      {{"status", "--port", "99999"}, "--port must be between 0 and 65535, not 99999"},
  };
  for (const auto& c : cases) {
    const auto result = run_with_stderr(server.server(c.args));
    EXPECT_EQ(result.exit_code, 2) << result.out;
    EXPECT_NE(result.out.find(c.says), std::string::npos) << "expected \"" << c.says << "\" in:\n" << result.out;
  }
}

// The server's command line: each command accepts its own options and says which it did
// not expect; its --help lists them with the settings table's meaning, default and bounds.
TEST(Flags, TheServerNamesAnUnexpectedOptionAndEachCommandsHelpComesFromTheSettings) {
  testing::ServerProcess server(40, 4);
  const auto unknown = run_with_stderr(server.server({"serve", "--prot", "7000"}));
  EXPECT_EQ(unknown.exit_code, 2) << unknown.out;
  EXPECT_NE(unknown.out.find("--prot"), std::string::npos) << unknown.out;
  EXPECT_NE(unknown.out.find("lodestone-server serve --help"), std::string::npos) << unknown.out;
  const auto elsewhere = run_with_stderr(server.server({"datasets", "--port", "7000"}));
  EXPECT_EQ(elsewhere.exit_code, 2) << "datasets takes no --port:\n" << elsewhere.out;
  const auto command = run_with_stderr(server.server({"frobnicate"}));
  EXPECT_EQ(command.exit_code, 2) << command.out;
  EXPECT_NE(command.out.find("frobnicate"), std::string::npos) << command.out;

  const auto help = run_with_stderr(server.server({"--help"}));
  EXPECT_EQ(help.exit_code, 0) << help.out;
  for (const char* name : {"import", "serve", "export", "status", "token", "backup", "restore", "config", "train"}) {
    EXPECT_NE(help.out.find(name), std::string::npos) << name << " missing from:\n" << help.out;
  }
  const auto serve = run_with_stderr(server.server({"serve", "--help"}));
  EXPECT_EQ(serve.exit_code, 0) << serve.out;
  EXPECT_NE(serve.out.find("UDP port of the room (default 7777; 0 to 65535; server.port in the file)"),
            std::string::npos)
      << serve.out;
  EXPECT_NE(serve.out.find("--acceptance-threshold"), std::string::npos) << serve.out;
  const auto exported = run_with_stderr(server.server({"export", "--help"}));
  EXPECT_NE(exported.out.find("--with-predictions"), std::string::npos) << exported.out;
  // The configuration file's settings stay below the flags, options after the command too.
  const auto config = run_with_stderr(server.server({"config", "--print", "--snapshot-rate", "20"}));
  EXPECT_EQ(config.exit_code, 0) << config.out;
  EXPECT_NE(config.out.find("from command line"), std::string::npos) << config.out;
}

TEST(Flags, TheBotRefusesValuesOutsideTheirBoundsAndDescribesEveryOption) {
  const auto port = run_with_stderr({LODESTONE_BOT_BIN, "--token", "t", "--port", "70000"});
  EXPECT_EQ(port.exit_code, 2) << port.out;
  EXPECT_NE(port.out.find("--port"), std::string::npos) << port.out;
  EXPECT_NE(port.out.find("70000"), std::string::npos) << port.out;
  EXPECT_NE(port.out.find("65535"), std::string::npos) << port.out;
  const auto negative = run_with_stderr({LODESTONE_BOT_BIN, "--token", "t", "--interval-ms", "-5"});
  EXPECT_EQ(negative.exit_code, 2) << negative.out;
  EXPECT_NE(negative.out.find("--interval-ms"), std::string::npos) << negative.out;
  const auto word = run_with_stderr({LODESTONE_BOT_BIN, "--token", "t", "--seconds", "soon"});
  EXPECT_EQ(word.exit_code, 2) << word.out;
  const auto policy = run_with_stderr({LODESTONE_BOT_BIN, "--token", "t", "--policy", "lazy"});
  EXPECT_EQ(policy.exit_code, 2) << policy.out;
  EXPECT_NE(policy.out.find("lazy"), std::string::npos) << policy.out;
  const auto help = run_with_stderr({LODESTONE_BOT_BIN, "--help"});
  EXPECT_EQ(help.exit_code, 0) << help.out;
  for (const char* option : {"--token", "--port", "--policy", "--truth-db", "--interval-ms", "--ack-log"}) {
    EXPECT_NE(help.out.find(option), std::string::npos) << option << " missing from:\n" << help.out;
  }
}

#ifdef LODESTONE_LOOP_BENCH_BIN
// The benchmarks parse their flags with CLI11 too: a value out of range or not among the
// choices stops them with the flag, the value and what is allowed.
TEST(Flags, ABenchmarkRefusesValuesOutsideTheirBoundsAndDescribesEveryFlag) {
  const auto bots = run_with_stderr({LODESTONE_LOOP_BENCH_BIN, "--bots", "0"});
  EXPECT_EQ(bots.exit_code, 2) << bots.out;
  for (const char* says : {"--bots", "0", "64"}) EXPECT_NE(bots.out.find(says), std::string::npos) << bots.out;
  const auto policy = run_with_stderr({LODESTONE_LOOP_BENCH_BIN, "--policy", "lazy"});
  EXPECT_EQ(policy.exit_code, 2) << policy.out;
  EXPECT_NE(policy.out.find("lazy"), std::string::npos) << policy.out;
  const auto unknown = run_with_stderr({LODESTONE_LOOP_BENCH_BIN, "--bost", "2"});
  EXPECT_EQ(unknown.exit_code, 2) << unknown.out;
  EXPECT_NE(unknown.out.find("--bost"), std::string::npos) << unknown.out;
  const auto help = run_with_stderr({LODESTONE_LOOP_BENCH_BIN, "--help"});
  EXPECT_EQ(help.exit_code, 0) << help.out;
  for (const char* flag : {"--policy", "--bots", "--seconds", "--interval-ms", "--keep"}) {
    EXPECT_NE(help.out.find(flag), std::string::npos) << flag << " missing from:\n" << help.out;
  }
}
#endif

}  // namespace
}  // namespace lodestone
