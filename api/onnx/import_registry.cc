// The importer table and NodeContext's attribute/constant-input readers.
#include "api/onnx/import_registry.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"

namespace duet::onnx::internal {
namespace {

std::map<std::string, ImportFn, std::less<>>& Table() {
  static auto* table = new std::map<std::string, ImportFn, std::less<>>();
  return *table;
}

}  // namespace

bool RegisterImporter(const char* op_type, ImportFn fn) {
  Table()[op_type] = fn;
  return true;
}

ImportFn FindImporter(std::string_view op_type) {
  auto it = Table().find(op_type);
  return it == Table().end() ? nullptr : it->second;
}

std::vector<std::string> ImportedOpTypes() {
  std::vector<std::string> out;
  for (const auto& [name, fn] : Table()) out.push_back(name);
  return out;
}

const ::onnx::AttributeProto* NodeContext::attr(std::string_view name) const {
  for (const auto& a : node_.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

int64_t NodeContext::attr_int(std::string_view name, int64_t dflt) const {
  const auto* a = attr(name);
  return a ? a->i() : dflt;
}

float NodeContext::attr_float(std::string_view name, float dflt) const {
  const auto* a = attr(name);
  return a ? a->f() : dflt;
}

std::string NodeContext::attr_string(std::string_view name, std::string dflt) const {
  const auto* a = attr(name);
  return a ? a->s() : dflt;
}

std::vector<int64_t> NodeContext::attr_ints(std::string_view name,
                                            std::vector<int64_t> dflt) const {
  const auto* a = attr(name);
  if (!a) return dflt;
  return std::vector<int64_t>(a->ints().begin(), a->ints().end());
}

std::vector<float> NodeContext::attr_floats(std::string_view name) const {
  const auto* a = attr(name);
  if (!a) return {};
  return std::vector<float>(a->floats().begin(), a->floats().end());
}

absl::Status NodeContext::require_inputs(int n) const {
  for (int i = 0; i < n; ++i)
    if (!has(i)) return absl::InvalidArgumentError(absl::StrCat("input ", i, " is missing"));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<int64_t>> NodeContext::host_ints(int i) const {
  if (!has(i)) return absl::InvalidArgumentError(absl::StrCat("input ", i, " is missing"));
  const Tensor& t = inputs_[i];
  if (t.is_symbolic())
    return absl::InvalidArgumentError(
        absl::StrCat("input ", i, " ('", node_.input(i),
                     "') must be a constant (an initializer or a Constant "
                     "node) when traced; it is computed"));
  if (t.dtype() == DType::kInt64) return t.to_vector<int64_t>();
  if (t.dtype() == DType::kInt32) {
    std::vector<int32_t> v = t.to_vector<int32_t>();
    return std::vector<int64_t>(v.begin(), v.end());
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "input ", i, " ('", node_.input(i), "') must be int32/int64, got ", t.spec().to_string()));
}

absl::StatusOr<double> NodeContext::host_scalar(int i) const {
  if (!has(i)) return absl::InvalidArgumentError(absl::StrCat("input ", i, " is missing"));
  const Tensor& t = inputs_[i];
  if (t.is_symbolic())
    return absl::InvalidArgumentError(absl::StrCat(
        "input ", i, " ('", node_.input(i), "') must be a constant when traced; it is computed"));
  if (t.num_elements() != 1)
    return absl::InvalidArgumentError(
        absl::StrCat("input ", i, " must have one element, got ", t.spec().to_string()));
  switch (t.dtype()) {
    case DType::kFloat32:
      return t.to_vector<float>()[0];
    case DType::kFloat64:
      return t.to_vector<double>()[0];
    case DType::kInt32:
      return t.to_vector<int32_t>()[0];
    case DType::kInt64:
      return static_cast<double>(t.to_vector<int64_t>()[0]);
    case DType::kBool:
      return t.item<bool>() ? 1.0 : 0.0;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("input ", i, " has unsupported dtype ", t.spec().to_string()));
  }
}

}  // namespace duet::onnx::internal
