import ProfileCommands
import ProfileModel

// Before anything holds a secret: no core file may ever contain one.
Hardening.disableCoreDumps()
let context = Context.process()
let status = CLI.run(Array(CommandLine.arguments.dropFirst()), context: context)
context.flush()
exit(status)
