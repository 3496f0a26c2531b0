/// An application access key id: non-empty, no whitespace or control characters.
package func validateKeyID(_ id: String) throws(Failure) {
  if id.isEmpty { throw .invalid(.keyIDEmpty) }
  if id.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
    throw .invalid(.keyIDCharacters(id))
  }
}

/// A key secret: non-empty, no control characters.
package func validateKeySecret(_ secret: String) throws(Failure) {
  if secret.isEmpty { throw .invalid(.keySecretEmpty) }
  if secret.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
    throw .invalid(.keySecretControl)
  }
}
