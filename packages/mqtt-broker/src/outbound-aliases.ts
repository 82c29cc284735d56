import type { IPublishPacket } from 'mqtt-packet';

/**
 * Outbound topic aliases of one connection (MQTT 5 §3.3.2.3.4): the first Topic Alias Maximum
 * topics sent to a client get an alias; later PUBLISHes to them carry the alias and an empty
 * topic. The map is created on first use, so a v3 or alias-less client pays nothing.
 */
export class OutboundAliases {
  #byTopic: Map<string, number> | undefined;

  /**
   * Rewrites `packet` to use a known alias, or proposes a new one. Returns the proposed alias
   * (to `record` once the packet is written, since the client learns it only from a packet it
   * receives), or 0.
   */
  apply(packet: IPublishPacket, max: number): number {
    if (max === 0) return 0;
    this.#byTopic ??= new Map();
    const known = this.#byTopic.get(packet.topic);
    if (known !== undefined) {
      packet.properties = { ...packet.properties, topicAlias: known };
      packet.topic = '';
      return 0;
    }
    if (this.#byTopic.size >= max) return 0;
    const alias = this.#byTopic.size + 1;
    packet.properties = { ...packet.properties, topicAlias: alias };
    return alias;
  }

  record(topic: string, alias: number): void {
    this.#byTopic?.set(topic, alias);
  }
}
