/// The program's name and version, as `--version` prints them and the User-Agent sends them.
public enum Program {
  public static let name = "conductor-profile"
  public static let version = "0.1.0"
}
