import Foundation
import Testing

/// The layout `make install` and the release archive share (.ci/dist/build --prefix): every file where
/// its shell, man or the plugin looks, and each one what the program itself prints. (`make dist` and
/// .ci/dist/check build the packages and try the .deb as root in CI.)
@Suite struct DistTests {
  @Test(.requires("strip")) func installLaysOutTheTreeFromTheProgramsOwnOutput() throws {
    let sandbox = try Sandbox()
    let prefix = sandbox.root.appendingPathComponent("prefix").path
    let script = ShellInitTests.packageRoot.appendingPathComponent(".ci/dist/build").path
    let r = try sandbox.execute("/bin/bash", [script, "--bin", Sandbox.program, "--prefix", prefix], timeout: 300)
    #expect(r.status == 0, "\(r)")
    func text(_ path: String) throws -> String { try String(contentsOfFile: prefix + "/" + path, encoding: .utf8) }
    #expect(try text("share/man/man1/conductor-profile.1") == sandbox.run(["__man"]).stdout)
    #expect(try text("share/bash-completion/completions/conductor-profile") == sandbox.run(["completions", "bash"]).stdout)
    #expect(try text("share/zsh/site-functions/_conductor-profile") == sandbox.run(["completions", "zsh"]).stdout)
    #expect(
      try text("share/fish/vendor_completions.d/conductor-profile.fish") == sandbox.run(["completions", "fish"]).stdout)
    for file in ["conductor-profile.bash", "conductor-profile.zsh", "conductor-profile.fish", "conductor-profile.plugin.zsh"] {
      let committed = try String(
        contentsOf: ShellInitTests.packageRoot.appendingPathComponent("shell/\(file)"), encoding: .utf8)
      #expect(try text("share/conductor-profile/\(file)") == committed, "\(file)")
    }
    #expect(try text("share/doc/conductor-profile/README.md").hasPrefix("# conductor-profile\n"))
    #expect(try sandbox.mode(of: prefix + "/bin/conductor-profile") == 0o755)
    #expect(try sandbox.mode(of: prefix + "/share/man/man1/conductor-profile.1") == 0o644)
    let installed = try sandbox.execute(prefix + "/bin/conductor-profile", ["--version"])
    let version = try sandbox.run(["--version"]).stdout
    #expect(installed.status == 0 && installed.stdout == version, "\(installed)")
  }
}
