package dev.dialplane.trunks;

import java.util.List;
import java.util.UUID;

/** What still uses a trunk; implemented by the numbers module (see {@code AgentUsage}). */
public interface TrunkUsage {

    List<String> numbersUsingTrunk(UUID trunkId);
}
