/// Name, version and home of dyadwatch: the User-Agent and `--version` read them from here.
public enum ProductInfo {
    public static let name = "dyadwatch"
    public static let version = "0.1.0"
    /// Where a site operator who sees our User-Agent in their logs can read what we are.
    public static let homepage = "https://github.com/dyadwatch/dyadwatch"
    /// `dyadwatch/0.1.0 (+https://…; RSS/Atom feed monitor)`.
    public static var defaultUserAgent: String { "\(name)/\(version) (+\(homepage); RSS/Atom news monitor)" }
}
