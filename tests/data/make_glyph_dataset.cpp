// Writes a labelled colour image dataset unlike the digits, for checks that must not be
// tuned to MNIST: letters rendered in every TrueType font under the given folders, each
// with a random rotation, scale, offset, stroke and background colour, and pixel noise,
// as PNG files in one sub-folder per letter (what `lodestone-server import images` reads).
//
//   make_glyph_dataset OUT_FOLDER [--per-class N] [--size PX] [--classes ABC...] [--seed S]
//                      [--fonts DIR]...   (default: /usr/share/fonts/truetype)
#include <QDirIterator>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace {

struct Options {
  std::filesystem::path out;
  int per_class = 300;
  int size = 32;
  std::string classes = "ABCDEFGHJK";
  unsigned seed = 1;
  std::vector<QString> font_dirs;
};

[[noreturn]] void usage(const std::string& problem) {
  std::fprintf(stderr,
               "make_glyph_dataset: %s\nusage: make_glyph_dataset OUT_FOLDER [--per-class N] [--size PX] "
               "[--classes LETTERS] [--seed S] [--fonts DIR]...\n",
               problem.c_str());
  std::exit(2);
}

int bounded(const char* flag, const char* text, int low, int high) {
  char* end = nullptr;
  const long v = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || v < low || v > high) {
    usage(std::string(flag) + " " + text + ": expected a whole number in " + std::to_string(low) + ".." +
          std::to_string(high));
  }
  return static_cast<int>(v);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage(a + " needs a value");
      return argv[++i];
    };
    if (a == "--per-class") o.per_class = bounded("--per-class", value(), 1, 100000);
    else if (a == "--size") o.size = bounded("--size", value(), 8, 512);
    else if (a == "--seed") o.seed = static_cast<unsigned>(bounded("--seed", value(), 0, 1 << 30));
    else if (a == "--classes") o.classes = value();
    else if (a == "--fonts") o.font_dirs.push_back(QString::fromLocal8Bit(value()));
    else if (!a.empty() && a[0] == '-') usage("unknown option " + a);
    else if (o.out.empty()) o.out = a;
    else usage("one output folder expected, got a second: " + a);
  }
  if (o.out.empty()) usage("no output folder");
  if (o.classes.size() < 2) usage("--classes needs at least two letters");
  if (o.font_dirs.empty()) o.font_dirs.push_back("/usr/share/fonts/truetype");
  return o;
}

// Every family of every .ttf/.otf file under the folders, each once.
QStringList load_fonts(const std::vector<QString>& folders) {
  QStringList families;
  for (const auto& folder : folders) {
    QDirIterator it(folder, {"*.ttf", "*.otf"}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
      const int id = QFontDatabase::addApplicationFont(it.next());
      if (id < 0) continue;
      for (const auto& family : QFontDatabase::applicationFontFamilies(id)) {
        if (!families.contains(family)) families << family;
      }
    }
  }
  families.sort();
  return families;
}

QImage render(QChar letter, const QString& family, int size, std::mt19937& rng) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const auto colour = [&](int low, int high) {
    std::uniform_int_distribution<int> c(low, high);
    return QColor(c(rng), c(rng), c(rng));
  };
  // Dark strokes of any colour on a light background of any colour: colour alone never
  // tells the class.
  QImage image(size, size, QImage::Format_RGB888);
  image.fill(colour(150, 255));
  QPainter painter(&image);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setRenderHint(QPainter::TextAntialiasing);
  QFont font(family);
  font.setPixelSize(static_cast<int>(size * (0.55 + 0.35 * unit(rng))));
  font.setBold(unit(rng) < 0.3);
  painter.setFont(font);
  painter.setPen(colour(0, 100));
  painter.translate(size / 2.0 + (unit(rng) - 0.5) * size * 0.2, size / 2.0 + (unit(rng) - 0.5) * size * 0.2);
  painter.rotate((unit(rng) - 0.5) * 50.0);  // ±25°
  painter.drawText(QRectF(-size, -size, 2.0 * size, 2.0 * size), Qt::AlignCenter, QString(letter));
  painter.end();
  std::normal_distribution<double> noise(0.0, 12.0);
  for (int y = 0; y < size; ++y) {
    auto* row = image.scanLine(y);
    for (int x = 0; x < size * 3; ++x) row[x] = static_cast<uchar>(std::clamp(row[x] + noise(rng), 0.0, 255.0));
  }
  return image;
}

}  // namespace

int main(int argc, char** argv) {
  const auto options = parse(argc, argv);
  qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
  QGuiApplication app(argc, argv);
  const auto families = load_fonts(options.font_dirs);
  if (families.isEmpty()) {
    std::fprintf(stderr, "make_glyph_dataset: no TrueType fonts under the font folders (install fonts-dejavu-core)\n");
    return 1;
  }
  std::mt19937 rng(options.seed);
  std::uniform_int_distribution<qsizetype> pick_family(0, families.size() - 1);
  std::size_t written = 0;
  for (const char letter : options.classes) {
    const auto folder = options.out / std::string(1, letter);
    std::filesystem::create_directories(folder);
    for (int i = 0; i < options.per_class; ++i) {
      const auto image = render(QChar(letter), families[pick_family(rng)], options.size, rng);
      const auto path = folder / (std::to_string(i) + ".png");
      if (!image.save(QString::fromStdString(path.string()), "PNG")) {
        std::fprintf(stderr, "make_glyph_dataset: cannot write %s\n", path.c_str());
        return 1;
      }
      ++written;
    }
  }
  std::printf("%zu images of %zu letters in %lld font families, %dx%d colour, in %s\n", written,
              options.classes.size(), static_cast<long long>(families.size()), options.size, options.size,
              options.out.c_str());
  return 0;
}
