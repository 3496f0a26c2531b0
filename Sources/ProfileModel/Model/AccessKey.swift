/// An application access key id: non-empty, no whitespace or control characters.
package func validateKeyID(_ id: String) throws(Failure) {
  if id.isEmpty { throw .error("the key id is empty; give the id of an application access key (Access Control > Applications)") }
  if id.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
    throw .error("invalid key id \(quoted(id)): it contains whitespace or a control character; copy the key id again")
  }
}

/// A key secret: non-empty, no control characters.
package func validateKeySecret(_ secret: String) throws(Failure) {
  if secret.isEmpty { throw .error("the key secret is empty; give the secret shown when the access key was created") }
  if secret.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
    throw .error("the key secret contains a control character (a line break or tab?); give it on one line")
  }
}
