// The exporter table and ExportContext's node/constant makers.
#include "api/onnx/export_registry.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "api/onnx/graph_writer.h"
#include "runtime/tensor_factory.h"

namespace duet::onnx::internal {
namespace {

std::map<std::string, ExportEntry, std::less<>>& Table() {
  static auto* table = new std::map<std::string, ExportEntry, std::less<>>();
  return *table;
}

}  // namespace

bool RegisterExporter(const char* op, ExportFn fn, const char* reason) {
  Table()[op] = ExportEntry{fn, reason};
  return true;
}

const ExportEntry* FindExporter(std::string_view op) {
  auto it = Table().find(op);
  return it == Table().end() ? nullptr : &it->second;
}

std::string ExportContext::in(int i) const { return writer_.NameOf(node_.inputs[i]); }
std::string ExportContext::out(int i) const { return writer_.NameOf(node_.outputs[i]); }
const TensorSpec& ExportContext::in_spec(int i) const { return writer_.SpecOf(node_.inputs[i]); }
const TensorSpec& ExportContext::out_spec(int i) const { return writer_.SpecOf(node_.outputs[i]); }

::onnx::NodeProto* ExportContext::Add(const std::string& op_type,
                                      const std::vector<std::string>& inputs,
                                      const std::vector<std::string>& outputs) {
  auto* n = writer_.graph().add_node();
  n->set_op_type(op_type);
  n->set_name(writer_.Fresh(absl::StrCat(node_.op->name, "/", op_type)));
  for (const auto& i : inputs) n->add_input(i);
  for (const auto& o : outputs) n->add_output(o);
  return n;
}

std::string ExportContext::Temp() { return writer_.Fresh(node_.op->name + "/tmp"); }

std::string ExportContext::Const(const Tensor& value) {
  return writer_.AddInitializer(value, node_.op->name + "/const");
}

std::string ExportContext::Ints(const std::vector<int64_t>& v) {
  return Const(constant(v, Shape{static_cast<int64_t>(v.size())}));
}

std::string ExportContext::Scalar(double v, DType dtype) { return Const(fill(Shape{}, v, dtype)); }

void SetAttr(::onnx::NodeProto* n, const std::string& name, int64_t v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(::onnx::AttributeProto::INT);
  a->set_i(v);
}
void SetAttr(::onnx::NodeProto* n, const std::string& name, float v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(::onnx::AttributeProto::FLOAT);
  a->set_f(v);
}
void SetAttr(::onnx::NodeProto* n, const std::string& name, const std::string& v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(::onnx::AttributeProto::STRING);
  a->set_s(v);
}
void SetAttr(::onnx::NodeProto* n, const std::string& name, const std::vector<int64_t>& v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(::onnx::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
}

}  // namespace duet::onnx::internal
