import Foundation
import Testing

/// shell/conductor-profile.plugin.zsh as plugin managers load it: oh-my-zsh sources it at the top level,
/// antidote and zinit from inside a function. Either way it loads what `init zsh` prints, in one process.
@Suite struct PluginTests {
  static let plugin = ShellInitTests.packageRoot.appendingPathComponent("shell/conductor-profile.plugin.zsh").path

  func sandboxWithDefault() throws -> Sandbox {
    let sandbox = try Sandbox()
    try sandbox.addKey("dev", id: "dev-id", secret: "dev-secret")
    #expect(try sandbox.run(["default", "dev"]).status == 0)
    return sandbox
  }

  static let report = """
    print -r -- "active=$CONDUCTOR_PROFILE_ACTIVE secret=$CONDUCTOR_AUTH_SECRET"
    print -r -- "function=$(whence -w conductor-profile)"
    print -r -- "precmd=${precmd_functions[(I)_conductor_profile_precmd]}"
    print -r -- "leftover=${+_CONDUCTOR_PROFILE_PLUGIN_INIT}${+_CONDUCTOR_PROFILE_INIT}"
    """

  @Test(.requires("zsh", "strace"), arguments: ["top level", "in a function"]) func loadsTheHookInOneProcess(placement: String)
    throws
  {
    let zsh = try Tool.require("zsh")
    let strace = try Tool.require("strace")
    let sandbox = try sandboxWithDefault()
    let load = placement == "top level" ? "source '\(Self.plugin)'" : "load() { source '\(Self.plugin)' }; load"
    let trace = sandbox.root.appendingPathComponent("trace").path
    let r = try sandbox.execute(
      strace, ["-f", "-qq", "-e", "trace=execve", "-o", trace, zsh, "-f", "-c", load + "\n" + Self.report])
    #expect(r.status == 0 && r.stderr.isEmpty, "\(r)")
    #expect(
      r.stdout == "active=dev secret=dev-secret\nfunction=conductor-profile: function\nprecmd=1\nleftover=00\n", "\(r)")
    let log = try String(contentsOfFile: trace, encoding: .utf8)
    #expect(StartupTests.programRuns(log) == 1, "\(log)")
  }

  /// The release archive's layout: share/conductor-profile/ beside bin/, the program not on PATH.
  @Test(.requires("zsh")) func findsTheProgramOfTheArchiveBesideIt() throws {
    let zsh = try Tool.require("zsh")
    let sandbox = try sandboxWithDefault()
    let prefix = sandbox.root.appendingPathComponent("prefix")
    let share = prefix.appendingPathComponent("share/conductor-profile")
    try FileManager.default.createDirectory(at: share, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: prefix.appendingPathComponent("bin"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: Sandbox.program, toPath: prefix.appendingPathComponent("bin/conductor-profile").path)
    try FileManager.default.copyItem(
      atPath: Self.plugin, toPath: share.appendingPathComponent("conductor-profile.plugin.zsh").path)
    // A PATH with nothing on it: a conductor-profile installed in /usr/bin must not be the one found.
    let r = try sandbox.execute(
      zsh, ["-f", "-c", "source '\(share.path)/conductor-profile.plugin.zsh'\n" + Self.report],
      env: ["PATH": try sandbox.emptyDirectory()])
    #expect(r.status == 0 && r.stderr.isEmpty, "\(r)")
    #expect(r.stdout.hasPrefix("active=dev secret=dev-secret\nfunction=conductor-profile: function\n"), "\(r)")
  }

  @Test(.requires("zsh")) func saysSoWhenTheProgramIsMissing() throws {
    let zsh = try Tool.require("zsh")
    let sandbox = try Sandbox()
    // Hermetic: the plugin is sourced from a copy in the sandbox (from the checkout it would look in the
    // checkout's parent's bin/), with a PATH that holds nothing (a system-wide install would be found).
    let copy = sandbox.root.appendingPathComponent("plugin/shell/conductor-profile.plugin.zsh")
    try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: Self.plugin, toPath: copy.path)
    let r = try sandbox.execute(
      zsh, ["-f", "-c", "source '\(copy.path)'; print -r -- \"$(whence -w conductor-profile)\""],
      env: ["PATH": try sandbox.emptyDirectory()])
    #expect(r.stderr == "conductor-profile plugin: the program is not on PATH; install it (docs/install.md)\n", "\(r)")
    #expect(r.stdout == "conductor-profile: none\n", "\(r)")
  }

  @Test(.requires("zsh")) func pluginParses() throws {
    let zsh = try Tool.require("zsh")
    let r = try Sandbox().execute(zsh, ["-n", Self.plugin])
    #expect(r.status == 0 && r.stderr.isEmpty, "\(r)")
  }
}
