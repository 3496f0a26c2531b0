import ProfileModel

/// `doctor`'s checks of application keys: an interrupted `promote` or `rotate` (finished or rolled back
/// with `--fix`), a paused key, and keys older than the store's `keyMaxAge` (a notice: exit 0).
enum KeyChecks {
  static func doctor(_ report: DoctorCommand.Report, store: Store, fix: Bool) {
    let context = report.context
    let path = (try? context.store().path) ?? "the store"
    var maxAge: Int64? = nil
    do throws(Failure) { maxAge = try store.keyMaxAge() } catch {
      report.problem(error.problem, fix: "edit \(path) by hand (see docs/keys.md)")
    }
    var pendingOK = true
    var pausedOK = true
    var agesOK = true
    for name in store.names {
      guard let profile = try? store.profile(named: name) else { continue }
      if profile.hasUnreadablePendingKey {
        pendingOK = false
        report.problem(
          "profile '\(name)' has a \"pendingKey\" this version cannot read",
          fix: "finish it with the version of conductor-profile that wrote it")
      }
      if let pending = profile.pendingKey {
        pendingOK = false
        if fix {
          do throws(Failure) {
            try RotateCommand.resume(try KeyRotation(name: name, context: context), pending)
            report.fixed("the interrupted \(pending.operation.rawValue) of profile '\(name)'")
          } catch {
            report.problem(
              "profile '\(name)': \(pending.summary), and finishing it failed: \(error.description)",
              fix: "conductor-profile rotate \(name) once the cause is mended")
          }
        } else {
          report.problem(
            "profile '\(name)': \(pending.summary)", fix: "conductor-profile rotate \(name) (or conductor-profile doctor --fix)")
        }
      }
      guard let info = profile.keyInfo else { continue }
      if info.status == .inactive {
        pausedOK = false
        report.problem(
          "the application key \(quoted(info.keyID)) of profile '\(name)' is paused (INACTIVE), so it cannot mint a token",
          fix:
            "resume it under Access Control > Applications, or give the profile a working key: conductor-profile set \(name) --key-id ID --secret"
        )
      }
      if let maxAge, let age = info.age(now: context.now), age > maxAge {
        agesOK = false
        report.notice(
          "the application key \(quoted(info.keyID)) of profile '\(name)' is \(KeyAge.text(age)) old, older than keyMaxAge (\(KeyAge.text(maxAge)))",
          fix: "conductor-profile rotate \(name)")
      }
    }
    if pendingOK { report.ok("no promote or rotate was interrupted") }
    if pausedOK { report.ok("no profile's application key is known to be paused") }
    if let maxAge, agesOK { report.ok("no application key is older than keyMaxAge (\(KeyAge.text(maxAge)))") }
  }
}
