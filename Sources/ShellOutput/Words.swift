/// Quotes a word for a POSIX shell, only when it needs it (for commands shown to the user).
package func shellWord(_ s: String) -> String {
  let safe =
    !s.isEmpty
    && s.utf8.allSatisfy {
      isLetter($0) || isDigit($0) || "/._-+=:,@%".utf8.contains($0)
    }
  return safe ? s : ShellSyntax.posix.quote(s)
}

/// A variable name `[A-Za-z_][A-Za-z0-9_]*`.
func isVariableName(_ name: String) -> Bool {
  guard let first = name.utf8.first, first == UInt8(ascii: "_") || isLetter(first) else {
    return false
  }
  return name.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
}

private func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") }
private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
