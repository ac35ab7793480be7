#include "neardup/io/json.h"

#include <cmath>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "neardup/normalize.h"
#include "simdjson.h"

namespace neardup {

struct JsonRecordParser::Impl {
  InputOptions options;
  simdjson::dom::parser parser;
};

JsonRecordParser::JsonRecordParser(const InputOptions& options)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
}

JsonRecordParser::~JsonRecordParser() = default;

bool JsonRecordParser::Parse(std::string_view line, JsonRecord* record,
                             std::string* error) {
  *record = JsonRecord();
  simdjson::dom::element root;
  auto err = impl_->parser.parse(line.data(), line.size()).get(root);
  if (err) {
    if (err == simdjson::UTF8_ERROR) {
      *error = "invalid UTF-8 in JSON line";
    } else {
      *error = absl::StrCat("invalid JSON (", simdjson::error_message(err), ")");
    }
    return false;
  }
  simdjson::dom::object obj;
  if (root.get_object().get(obj)) {
    *error = "invalid record: the line is JSON but not an object";
    return false;
  }
  const InputOptions& o = impl_->options;
  simdjson::dom::element value;
  if (obj.at_key(o.id_field).get(value) == simdjson::SUCCESS) {
    std::string_view sv;
    if (value.get_string().get(sv) == simdjson::SUCCESS) {
      record->id.assign(sv);
      record->has_id = true;
    } else if (value.is_int64() || value.is_uint64()) {
      record->id = simdjson::minify(value);
      record->has_id = true;
    } else if (!value.is_null()) {
      *error = absl::StrCat("field \"", o.id_field,
                            "\" must be a string or an integer");
      return false;
    }
  }
  if (obj.at_key(o.text_field).get(value) != simdjson::SUCCESS) {
    *error = absl::StrCat("missing text field \"", o.text_field, "\"");
    return false;
  }
  if (value.get_string().get(record->text) != simdjson::SUCCESS) {
    *error = absl::StrCat("field \"", o.text_field, "\" is not a string");
    return false;
  }
  if (obj.at_key(o.lang_field).get(value) == simdjson::SUCCESS) {
    std::string_view sv;
    if (value.get_string().get(sv) == simdjson::SUCCESS) record->lang = sv;
  }
  return true;
}

bool ParseFields(std::string_view line, const std::vector<std::string>& names,
                 std::vector<std::optional<std::string>>* values,
                 std::string* error) {
  thread_local simdjson::dom::parser parser;
  values->assign(names.size(), std::nullopt);
  simdjson::dom::element root;
  if (auto err = parser.parse(line.data(), line.size()).get(root)) {
    *error = absl::StrCat("invalid JSON (", simdjson::error_message(err), ")");
    return false;
  }
  simdjson::dom::object obj;
  if (root.get_object().get(obj)) {
    *error = "not a JSON object";
    return false;
  }
  for (size_t i = 0; i < names.size(); ++i) {
    simdjson::dom::element v;
    if (obj.at_key(names[i]).get(v) != simdjson::SUCCESS || v.is_null()) continue;
    std::string_view sv;
    if (v.get_string().get(sv) == simdjson::SUCCESS) {
      (*values)[i] = std::string(sv);
    } else {
      (*values)[i] = simdjson::minify(v);
    }
  }
  return true;
}

void AppendJsonString(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  // Output must stay valid JSON whatever the input held (ids come from
  // file names and from the input as is): invalid UTF-8 becomes U+FFFD.
  size_t bad;
  if (!IsValidUtf8(s, &bad)) {
    std::string repaired(s.substr(0, bad));
    std::string_view rest = s.substr(bad);
    while (!rest.empty()) {
      repaired.append("\xEF\xBF\xBD");  // U+FFFD
      rest.remove_prefix(1);
      while (!rest.empty() && (static_cast<unsigned char>(rest[0]) & 0xC0) == 0x80) {
        rest.remove_prefix(1);  // the rest of a broken sequence
      }
      size_t next = rest.size();
      if (!IsValidUtf8(rest, &next)) {
        repaired.append(rest.substr(0, next));
        rest.remove_prefix(next);
      } else {
        repaired.append(rest);
        rest = {};
      }
    }
    AppendJsonString(out, repaired);
    return;
  }
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 15]);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

void AppendJsonScore(std::string* out, double v) {
  if (!std::isfinite(v)) {
    out->append("null");
    return;
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.4f", v);
  std::string s(buf);
  // Trim trailing zeros: 0.8000 -> 0.8, 1.0000 -> 1.
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  out->append(s);
}

}  // namespace neardup
