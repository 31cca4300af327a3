package org.voxmorph.device;

/**
 * What {@code virtual-mic status} reports. Fields that do not apply to a system are null.
 *
 * @param system        the sound server or OS it was checked on, e.g. "PulseAudio 16.1"
 * @param ready         true when applications can select the microphone now
 * @param writeTo       the sink or playback device to write into, null when not ready
 * @param microphone    what applications list as the microphone
 * @param sinkModule    PulseAudio: index of our null-sink module, null when not loaded
 * @param sourceModule  PulseAudio: index of our remap-source module, null when not loaded
 * @param sourceExists  whether the microphone's source (device) exists on the system
 * @param owner         who made it ("user", "voxmorph session pid N"), null when unknown or absent
 * @param hint          what to do when not ready, null when ready
 */
public record VirtualMicStatus(String system, boolean ready, String writeTo, String microphone,
        Integer sinkModule, Integer sourceModule, boolean sourceExists, String owner, String hint) {}
