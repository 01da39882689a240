import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { IamService, IamServiceOptions } from '../clients/IamService';
import { FleetIamReader, FleetIamStats } from '../fleet/FleetIamReader';
import { entityFacts } from './EntityFactCollector';
import { EntityFacts, FactCollector } from './EntityFacts';
import {
  FactReaders,
  readImageFacts,
  readTableFacts,
  readWorkloadFacts,
  roleUsesOf,
  withCredentialFacts,
} from './factReads';

export interface FleetFactCollectorOptions {
  /**
   * The run's readers: a run-scoped loader, so each list, table, repository
   * and role is read once per run, and a cluster snapshot source.
   */
  readers: Omit<FactReaders, 'iam'>;
  /** How IAM is read during the run; the IAM phase's answers are added. */
  iam: IamServiceOptions;
  /** Reads and simulates the roles per account, remembering across runs. */
  iamReader: FleetIamReader;
  logger: LoggerService;
}

export interface FleetFacts {
  facts: EntityFacts[];
  /** How the IAM phase read the roles; absent when it failed. */
  iam?: FleetIamStats;
}

/**
 * The fleet's facts, in explicit phases: the tables and images start at once
 * (they depend on nothing else); the workloads of every entity are read from
 * one snapshot per cluster; then IAM is read per account and simulated per
 * role, once; then each workload's credential chain is read, its IAM answers
 * taken from that phase.
 */
export class FleetFactCollector implements FactCollector {
  constructor(private readonly options: FleetFactCollectorOptions) {}

  async collect(entities: Entity[]): Promise<EntityFacts[]> {
    return (await this.collectFleet(entities)).facts;
  }

  async collectFleet(entities: Entity[]): Promise<FleetFacts> {
    const { iamReader, logger } = this.options;
    const readers: FactReaders = {
      ...this.options.readers,
      iam: new IamService(this.options.iam),
    };
    // Never rejects: each read turns its failure into that section's error.
    const resources = Promise.all(
      entities.map(e =>
        Promise.all([readTableFacts(readers, e), readImageFacts(readers, e)]),
      ),
    );
    const workloads = await Promise.all(
      entities.map(e => readWorkloadFacts(readers, e)),
    );
    const uses = entities.flatMap((e, i) =>
      roleUsesOf(readers, e, workloads[i]),
    );
    const iamRead = await iamReader.read(readers.iam, uses).catch(error => {
      logger.warn(
        `The fleet's IAM phase failed; the chains read IAM role by role: ${error}`,
      );
      return undefined;
    });
    const answered: FactReaders = {
      ...readers,
      iam: new IamService({
        ...this.options.iam,
        known: Promise.resolve(iamRead?.answers),
      }),
    };
    const [credentialed, tablesAndImages] = await Promise.all([
      Promise.all(
        entities.map((e, i) => withCredentialFacts(answered, e, workloads[i])),
      ),
      resources,
    ]);
    return {
      facts: entities.map((entity, i) =>
        entityFacts(entity, {
          table: tablesAndImages[i][0],
          images: tablesAndImages[i][1],
          workloads: credentialed[i],
        }),
      ),
      iam: iamRead?.stats,
    };
  }
}
