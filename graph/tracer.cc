#include "graph/tracer.h"

#include "absl/strings/str_cat.h"
#include "runtime/status_macros.h"

namespace duet::graph {
namespace {
thread_local const Loc* tls_location = nullptr;

const Loc& Located(const Loc& loc) { return tls_location ? *tls_location : loc; }
}  // namespace

// "Am I tracing?" has one answer, the thread's executor (runtime/context.h): an eager scope
// inside a trace (layer weights, optimizer slots, folding) is not tracing.
Tracer* CurrentTracer() { return dynamic_cast<Tracer*>(CurrentExecutor()); }

LocationScope::LocationScope(const Loc& loc) : previous_(tls_location), loc_(loc) {
  tls_location = &loc_;
}
LocationScope::~LocationScope() { tls_location = previous_; }

TraceScope::TraceScope(Trace* trace) : tracer_(std::make_unique<Tracer>(trace)) {
  scope_.emplace(tracer_.get());
  tracer_->PushRegion(&trace->body);
}

TraceScope::~TraceScope() { scope_.reset(); }

Tensor TraceScope::Parameter(const TensorSpec& spec) {
  Tensor t = tracer_->NewValue(spec);
  tracer_->trace().body.params.push_back(tracer_->IdOf(t));
  return t;
}

absl::Status TraceScope::Return(const std::vector<Tensor>& results) {
  for (const Tensor& t : results) {
    ASSIGN_OR_RETURN(int id, tracer_->ValueOf(t, Loc()));
    tracer_->trace().body.results.push_back(id);
  }
  return absl::OkStatus();
}

Tracer::Tracer(Trace* trace) : trace_(trace) {}

Tensor Tracer::NewValue(const TensorSpec& spec, const Loc& origin) {
  Tensor t = Tensor::Symbolic(spec, origin);
  ids_[t.impl()] = static_cast<int>(trace_->values.size());
  by_id_[ids_[t.impl()]] = t;
  trace_->values.push_back(spec);
  return t;
}

void Tracer::LocateRead(int id, const Loc& loc) {
  auto it = unlocated_reads_.find(id);
  if (it == unlocated_reads_.end() || loc.line() == 0) return;
  auto [region, index] = it->second;
  region->nodes[index].loc = loc;
  unlocated_reads_.erase(it);
}

absl::StatusOr<int> Tracer::ValueOf(const Tensor& t, const Loc& loc) {
  auto it = ids_.find(t.impl());
  if (it != ids_.end()) {
    if (!unlocated_reads_.empty()) LocateRead(it->second, loc);
    return it->second;
  }
  if (t.is_symbolic())  // from another trace: it has no value here
    return absl::InvalidArgumentError(
        absl::StrCat("[trace] symbolic tensor ", t.spec().to_string(),
                     " belongs to another traced function; pass it as an argument"));
  // A concrete tensor captured from outside becomes a constant of the current region. It is
  // reused only where that region is visible (the region itself or one nested in it).
  auto& defs = constants_[t.impl()];
  for (const auto& [region, id] : defs)
    for (TraceRegion* open : regions_)
      if (open == region) return id;
  int id = static_cast<int>(trace_->values.size());
  trace_->values.push_back(t.spec());
  defs.emplace_back(regions_.back(), id);
  by_id_[id] = t;
  TraceNode node;
  node.kind = TraceNode::Kind::kConstant;
  node.constant = t;
  node.outputs = {id};
  node.loc = Located(loc);
  AddNode(std::move(node));
  return id;
}

TraceNode& Tracer::AddNode(TraceNode node) {
  region().nodes.push_back(std::move(node));
  return region().nodes.back();
}

absl::StatusOr<TensorList> Tracer::Execute(const OpCall& call, SpecList&& specs) {
  TraceNode node;
  node.kind = TraceNode::Kind::kOp;
  node.op = &call.op;
  node.attrs = call.attrs;
  const Loc& loc = Located(call.loc);
  node.loc = loc;
  for (const Tensor& t : call.inputs) {
    ASSIGN_OR_RETURN(int id, ValueOf(t, loc));
    node.inputs.push_back(id);
  }
  TensorList outputs;
  for (TensorSpec& spec : specs) {
    Tensor out = NewValue(spec, loc);
    node.outputs.push_back(ids_[out.impl()]);
    outputs.push_back(std::move(out));
  }
  AddNode(std::move(node));
  return outputs;
}

int Tracer::VariableIndex(const std::shared_ptr<VariableState>& v) {
  for (size_t i = 0; i < trace_->variables.size(); ++i)
    if (trace_->variables[i] == v) return static_cast<int>(i);
  trace_->variables.push_back(v);
  return static_cast<int>(trace_->variables.size()) - 1;
}

Tensor Tracer::ReadVariable(const std::shared_ptr<VariableState>& v, const Loc& loc) {
  int index = VariableIndex(v);
  const Loc& at = Located(loc);
  Tensor out = NewValue(v->Read().spec(), at);
  TraceNode node;
  node.kind = TraceNode::Kind::kReadVariable;
  node.index = index;
  node.outputs = {ids_[out.impl()]};
  node.loc = at;
  if (at.line() == 0) unlocated_reads_[node.outputs[0]] = {&region(), region().nodes.size()};
  AddNode(std::move(node));
  return out;
}

absl::Status Tracer::AssignVariable(const std::shared_ptr<VariableState>& v, const Tensor& value,
                                    const Loc& loc) {
  TraceNode node;
  node.kind = TraceNode::Kind::kAssignVariable;
  node.index = VariableIndex(v);
  ASSIGN_OR_RETURN(int id, ValueOf(value, loc));
  node.inputs = {id};
  node.loc = loc;
  AddNode(std::move(node));
  return absl::OkStatus();
}

int Tracer::AddHostFn(HostFn fn) {
  trace_->host_fns.push_back(std::move(fn));
  return static_cast<int>(trace_->host_fns.size()) - 1;
}

}  // namespace duet::graph
