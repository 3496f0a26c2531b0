import Foundation
import Testing

// How the tests start other programs — use these, never `Process` or a bare `posix_spawn`:
// - `Sandbox.run(args)` runs the built program; `Sandbox.execute(path, args)` any program;
//   `Sandbox.shell(.zsh, script)` a script in a real shell with the hook's install line. All three go
//   through `TestProcess` (TestProcess.swift): the child runs in its OWN SESSION (no controlling terminal: it can
//   never read the keyboard of the terminal `swift test` was started from, nor take its foreground),
//   and a time-out (`timeout:`, 120 s by default) kills it with its session and fails the test with
//   what it printed.
// - A child that must run beside the test (a server, two shells at once): `TestProcess(path, args, …)`, then
//   `wait()`. `TestProcess.run(…)` for a tool run outside a sandbox (a working directory, stderr merged).
// - An interactive shell: give it its commands on standard input (`bash -i`/`zsh -f -i` read a pipe
//   and print their prompts on standard error), or drive it on its own pseudo-terminal with
//   Tests/Support/pty_run.py (TerminalTests.atTerminal shows how). Never start one any other way.
// - A tool that may be missing (zsh, fish, strace, shellcheck, curl, python3, hyperfine…):
//   `@Test(.requires("strace"))` skips visibly, with the reason, where it is not installed, and
//   `try Tool.require("strace")` inside the test gives its path (in a parameterized test it skips just
//   that case). Under CI=true neither skips: a missing tool fails the test. `HookShell.path()` and
//   `requireShell(_:)` do the same.

/// The shells with a hook, as the shell tests start them: no user start-up files, the hook loaded as
/// the README says (`eval "$(conductor-profile init bash)"`, `conductor-profile init fish | source`).
enum HookShell: String, CaseIterable, CustomStringConvertible, Sendable {
  case bash, zsh, fish

  var description: String { rawValue }

  /// Flags that keep the user's own start-up files out.
  var flags: [String] {
    switch self {
    case .bash: return ["--norc", "--noprofile"]
    case .zsh: return ["-f"]
    case .fish: return ["--no-config"]
    }
  }

  /// The install line.
  var load: String {
    switch self {
    case .bash, .zsh: return "eval \"$(conductor-profile init \(rawValue))\""
    case .fish: return "conductor-profile init fish | source"
    }
  }

  /// `script` written with `$?` for the exit status, in this shell's spelling.
  func adapt(_ script: String) -> String {
    self == .fish ? script.replacingOccurrences(of: "$?", with: "$status") : script
  }

  /// The shell's path; when it is not installed the test case is skipped (fails under CI=true). Never nil.
  func path() throws -> String? { try requireShell(rawValue) }
}

extension Sandbox {
  /// A directory for the files a shell script writes (its working directory too).
  var out: URL { root.appendingPathComponent("out") }

  /// Runs `script` (`$?` spelled the bash way) in `shell`, in `out`, with `OUT` set to it.
  /// Nil when the shell is not installed.
  func shell(_ shell: HookShell, _ script: String, stdin: String? = nil, env extra: [String: String] = [:]) throws
    -> Result?
  {
    guard let path = try shell.path() else { return nil }
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    // The trailing `true`: bash and zsh run a script's last command in place of themselves, which
    // changes what it sees (SHLVL); with one more command every dump sees the same shell.
    let text = "cd \"$OUT\"\n" + shell.adapt(script) + "\ntrue\n"
    return try execute(path, shell.flags + ["-c", text], stdin: stdin, env: ["OUT": out.path].merging(extra) { $1 })
  }

  /// An empty directory in the sandbox, for a PATH on which nothing is found (not even a system-wide
  /// conductor-profile).
  func emptyDirectory() throws -> String {
    let url = root.appendingPathComponent("empty-path")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
  }

  /// The bytes of a file the script wrote under `out`.
  func outBytes(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: out.appendingPathComponent(name)))
  }

  func outText(_ name: String) throws -> String { String(decoding: try outBytes(name), as: UTF8.self) }

  /// An `env -0` dump the script wrote: each variable's value as bytes.
  func environmentDump(_ name: String) throws -> [String: [UInt8]] {
    var result: [String: [UInt8]] = [:]
    for entry in try outBytes(name).split(separator: 0, omittingEmptySubsequences: true) {
      guard let eq = entry.firstIndex(of: UInt8(ascii: "=")) else { continue }
      result[String(decoding: entry[entry.startIndex..<eq], as: UTF8.self)] = Array(entry[(eq + 1)...])
    }
    return result
  }

  /// Installs the hook text `init` prints as a file (for tests that must not start a process to load it).
  func hookFile(_ shell: HookShell) throws -> String {
    let r = try run(["init", shell.rawValue])
    #expect(r.status == 0, "\(r)")
    let url = root.appendingPathComponent("hook.\(shell.rawValue)")
    try Data(r.stdout.utf8).write(to: url)
    return url.path
  }
}

/// The bytes of a string, for comparisons that must not treat canonically equal text as equal.
func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

/// The names of the variables in a dump that this tool manages or that a profile in these tests sets.
func conductorNames(_ dump: [String: [UInt8]]) -> [String] {
  let settings: Set = ["CONDUCTOR_PROFILE_GUARD", "CONDUCTOR_PROFILE_STORE"]
  return dump.keys.filter {
    ($0.hasPrefix("CONDUCTOR_") || $0.hasPrefix("X_") || $0.hasPrefix("_CONDUCTOR")) && !settings.contains($0)
  }.sorted()
}

/// Seconds since 1970, as the tests compare token expiries.
func nowSeconds() -> Int { Int(Date().timeIntervalSince1970) }
