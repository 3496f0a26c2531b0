import Glibc

// Bytes without Swift's collections, for the quick switch (QuickSwitch.swift): an array or a
// dictionary has generic type metadata that the runtime builds on every run, and on the path every
// terminal switch takes that was a third of the program's work. These types are not generic.

/// Bytes somewhere in memory (the store, an argument, a variable, a literal): where they are, not a copy.
struct ByteSpan {
  var start: UnsafePointer<UInt8>
  var count: Int

  init(_ start: UnsafePointer<UInt8>, _ count: Int) {
    self.start = start
    self.count = count
  }

  init(_ buffer: UnsafeBufferPointer<UInt8>) {
    // An empty buffer may have no address: any address will do for no bytes.
    start = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
    count = buffer.count
  }

  /// A string literal's bytes (a literal is stored as a pointer to its UTF-8).
  init(_ text: StaticString) {
    start = text.utf8Start
    count = text.utf8CodeUnitCount
  }

  /// The bytes of a NUL-terminated C string, without the NUL.
  init(cString: UnsafePointer<CChar>) {
    start = UnsafeRawPointer(cString).assumingMemoryBound(to: UInt8.self)
    count = strlen(cString)
  }

  subscript(index: Int) -> UInt8 { start[index] }

  var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: start, count: count) }

  func equals(_ other: ByteSpan) -> Bool {
    count == other.count && (count == 0 || memcmp(start, other.start, count) == 0)
  }

  func equals(_ text: StaticString) -> Bool { equals(ByteSpan(text)) }

  func hasPrefix(_ text: StaticString) -> Bool {
    let prefix = ByteSpan(text)
    return count >= prefix.count && memcmp(start, prefix.start, prefix.count) == 0
  }

  /// Byte order, as `utf8Precedes` orders strings.
  func precedes(_ other: ByteSpan) -> Bool {
    let common = min(count, other.count)
    let order = common == 0 ? 0 : memcmp(start, other.start, common)
    return order != 0 ? order < 0 : count < other.count
  }

  /// True when every byte is ASCII and none is NUL (so the text is the same as a Swift string, byte for byte).
  var isPlainASCII: Bool {
    for index in 0..<count where start[index] == 0 || start[index] >= 0x80 { return false }
    return true
  }

  /// Whether `byte` is among the bytes.
  func contains(_ byte: UInt8) -> Bool { memchr(start, Int32(byte), count) != nil }
}

/// A list of spans that grows, made and freed with malloc.
final class SpanList {
  private var base: UnsafeMutablePointer<ByteSpan>
  private var capacity: Int
  private(set) var count = 0

  init(capacity: Int = 16) {
    self.capacity = max(capacity, 1)
    base = malloc(self.capacity * MemoryLayout<ByteSpan>.stride)!.assumingMemoryBound(to: ByteSpan.self)
  }

  deinit { free(base) }

  subscript(index: Int) -> ByteSpan {
    get { base[index] }
    set { base[index] = newValue }
  }

  func append(_ span: ByteSpan) {
    if count == capacity {
      capacity *= 2
      base = realloc(base, capacity * MemoryLayout<ByteSpan>.stride)!.assumingMemoryBound(to: ByteSpan.self)
    }
    (base + count).initialize(to: span)
    count += 1
  }

  /// Drops the spans from `newCount` on.
  func truncate(to newCount: Int) { count = newCount }

  /// Whether a span from `first` on has the same bytes as `span`.
  func contains(_ span: ByteSpan, from first: Int = 0) -> Bool {
    for index in first..<count where base[index].equals(span) { return true }
    return false
  }

  /// Sorts groups of `stride` spans (a name and its value, say) by the first of each, in byte order.
  /// Insertion sort: the lists sorted here hold a few dozen spans.
  func sort(groupsOf stride: Int = 1) {
    var group = stride
    while group < count {
      var at = group
      while at > 0, base[at].precedes(base[at - stride]) {
        for offset in 0..<stride { swapAt(at + offset, at - stride + offset) }
        at -= stride
      }
      group += stride
    }
  }

  private func swapAt(_ a: Int, _ b: Int) {
    let kept = base[a]
    base[a] = base[b]
    base[b] = kept
  }

  /// Whether two spans have the same bytes: a hash table of the spans' positions, for lists of any length.
  var hasDuplicate: Bool {
    guard count > 1 else { return false }
    var size = 16
    while size < 2 * count { size *= 2 }
    // 0: empty; else the position of a span plus one.
    let table = calloc(size, MemoryLayout<Int>.stride)!.assumingMemoryBound(to: Int.self)
    defer { free(table) }
    for index in 0..<count {
      let span = base[index]
      // FNV-1a.
      var hash: UInt64 = 0xcbf2_9ce4_8422_2325
      for offset in 0..<span.count { hash = (hash ^ UInt64(span[offset])) &* 0x100_0000_01b3 }
      var slot = Int(truncatingIfNeeded: hash) & (size - 1)
      while table[slot] != 0 {
        if base[table[slot] - 1].equals(span) { return true }
        slot = (slot + 1) & (size - 1)
      }
      table[slot] = index + 1
    }
    return false
  }
}

/// Bytes being written (the code a switch prints, a path), in a buffer that grows, made with malloc.
final class ByteOutput {
  private(set) var base: UnsafeMutablePointer<UInt8>
  private var capacity: Int
  private(set) var count = 0

  init(capacity: Int = 1024) {
    self.capacity = max(capacity, 16)
    base = malloc(self.capacity)!.assumingMemoryBound(to: UInt8.self)
  }

  deinit { free(base) }

  /// The bytes written so far: valid until the next write, and only while this object lives (Swift may
  /// free an object after its last use, so a span outliving that use needs `withExtendedLifetime`).
  var span: ByteSpan { ByteSpan(base, count) }

  private func reserve(_ more: Int) {
    guard count + more > capacity else { return }
    while count + more > capacity { capacity *= 2 }
    base = realloc(base, capacity)!.assumingMemoryBound(to: UInt8.self)
  }

  func append(_ byte: UInt8) {
    reserve(1)
    base[count] = byte
    count += 1
  }

  func append(_ span: ByteSpan) {
    reserve(span.count)
    if span.count > 0 { memcpy(base + count, span.start, span.count) }
    count += span.count
  }

  func append(_ text: StaticString) { append(ByteSpan(text)) }

  /// The bytes as a string (text that went in as UTF-8 comes out the same).
  var string: String { String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self) }

  /// Calls `body` with the bytes so far as a C string, for a system call (the NUL after them is not
  /// counted, so appending goes on from it).
  func withCString(_ body: (UnsafePointer<CChar>) -> Int32) -> Int32 {
    reserve(1)
    base[count] = 0
    return body(UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self))
  }
}
