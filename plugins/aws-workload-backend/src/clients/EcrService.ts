import { DescribeImagesCommand, ImageDetail } from '@aws-sdk/client-ecr';
import {
  ImageInfo,
  parseEcrRepositoryArn,
} from '@aws-workload/plugin-aws-workload-common';
import { cacheKey, ReaderOptions } from './CachedLoader';

/** A repository's newest images. DescribeImages cannot sort, so page through. */
export class EcrService {
  constructor(
    private readonly options: ReaderOptions & {
      /** The newest images kept per repository. */
      maxImages: number;
    },
  ) {}

  async newestImages(repositoryArn: string): Promise<ImageInfo[]> {
    const arn = parseEcrRepositoryArn(repositoryArn);
    return this.options.loader.load(
      cacheKey('ecr:images', repositoryArn),
      this.options.ttlMs,
      async () => {
        const client = await this.options.clients.client(
          'ecr',
          arn.accountId,
          arn.region,
        );
        const details: ImageDetail[] = [];
        let nextToken: string | undefined;
        do {
          const page = await client.send(
            new DescribeImagesCommand({
              registryId: arn.accountId,
              repositoryName: arn.repositoryName,
              maxResults: 1000,
              nextToken,
            }),
          );
          details.push(...(page.imageDetails ?? []));
          nextToken = page.nextToken;
        } while (nextToken);
        return details
          .sort(
            (a, b) =>
              (b.imagePushedAt?.getTime() ?? 0) -
              (a.imagePushedAt?.getTime() ?? 0),
          )
          .slice(0, this.options.maxImages)
          .map(toImageInfo);
      },
    );
  }
}

function toImageInfo(detail: ImageDetail): ImageInfo {
  return {
    digest: detail.imageDigest ?? '',
    tags: detail.imageTags ?? [],
    pushedAt: detail.imagePushedAt?.toISOString(),
    sizeBytes: detail.imageSizeInBytes,
    scanStatus: detail.imageScanStatus?.status,
    findings: detail.imageScanFindingsSummary
      ?.findingSeverityCounts as ImageInfo['findings'],
    running: false,
  };
}
