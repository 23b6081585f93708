#include "runtime/device_memory.h"

#include <cstdio>
#include <cstdlib>

namespace duet {
namespace {

// Written at static-init time only (before main), read afterwards: no lock needed.
DeviceMemory* g_memories[kNumDeviceTypes] = {};

}  // namespace

void RegisterDeviceMemory(DeviceType type, DeviceMemory* memory) {
  DeviceMemory*& slot = g_memories[static_cast<int>(type)];
  if (slot) {
    std::fprintf(stderr, "duet: a second memory registered for %s devices\n", DeviceTypeName(type));
    std::abort();
  }
  slot = memory;
}

DeviceMemory* FindDeviceMemory(DeviceType type) { return g_memories[static_cast<int>(type)]; }

int NumDevices(DeviceType type) {
  if (IsHostMemory(type)) return 1;
  DeviceMemory* memory = FindDeviceMemory(type);
  return memory ? memory->count() : 0;
}

}  // namespace duet
