import Platform
import ProfileCommands
import ProfileModel

// Before anything holds a secret: no core file, and no crash report, may ever contain one.
Hardening.disableCoreDumps()
let context = Context.process()
let status = CLI.run(Array(CommandLine.arguments.dropFirst()), context: context)
context.flush()
Hardening.exit(status)
