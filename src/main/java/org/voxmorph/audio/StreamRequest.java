package org.voxmorph.audio;

/**
 * What live mode asks a backend for.
 *
 * @param inputDevice   device name, or null for the default input
 * @param outputDevice  device name, or null for the default output
 * @param monitorDevice a second output that also plays the result ("hear myself"), or null
 * @param sampleRate    the rate the engine wants; a device that refuses it is resampled, not refused
 * @param periodFrames  the device period to ask for (the engine hop is a good choice)
 */
public record StreamRequest(String inputDevice, String outputDevice, String monitorDevice, int sampleRate,
        int periodFrames) {}
