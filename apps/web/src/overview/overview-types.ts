/** The city overview API's answers (`GET /api/v1/overview`, `/overview/map`), as the console reads them. */
export type Severity = 'critical' | 'major' | 'minor' | 'warning';
export type SeverityCounts = Record<Severity, number>;

export interface Share {
  within: number;
  total: number;
  ratio: number | null;
}

export interface SiteSummary {
  key: string;
  site: string;
  gateway?: string;
  name?: string;
  kind?: string;
  district?: string;
  points: number;
  fresh: number;
  alarms: SeverityCounts;
  keyPoints: { id: string; quantity?: string; unit?: string }[];
}

export interface OverviewKpis {
  at: number;
  dayStart: number;
  timeZone: string;
  supply: { volumeM3: number | null; coverage: number | null; flowM3h: number | null; points: string[] };
  pressure: Share & { minKpa: number; maxKpa?: number; low: number; high: number; basis: string };
  quality: Share & { byQuantity: Record<string, Share>; basis: string };
  alarms: { available: boolean; active: number; unacknowledged: number; bySeverity: SeverityCounts };
  completeness: Share & { stale: number; bad: number; staleFactor: number };
  sites: SiteSummary[];
}

export type MapFeature =
  | {
      type: 'Feature';
      geometry: { type: 'LineString'; coordinates: number[][] };
      properties: { kind: 'pipe'; district: string; diameterMm: number; links: number };
    }
  | {
      type: 'Feature';
      geometry: { type: 'Point'; coordinates: number[] };
      properties: { kind: 'reservoir' | 'tank' | 'pump' | 'valve'; district: string; id: string };
    }
  | {
      type: 'Feature';
      geometry: { type: 'Point'; coordinates: number[] };
      properties: {
        kind: 'site';
        district: string;
        site: string;
        key: string;
        gateway?: string;
        element: string;
        name?: string;
        siteKind?: string;
      };
    };

export interface OverviewMap {
  type: 'FeatureCollection';
  configured: boolean;
  bbox: number[];
  districts: { id: string; name?: string; network: string; bbox: number[]; links: number }[];
  features: MapFeature[];
}
