// /merchant/team's verbs: the signed-in staff member's own provider's team, and nothing else. The provider comes from
// the actor, never from the request, so an id of another provider's staff is simply not found.
import type { Ctx } from '../../lib/ctx.ts';
import { personOf } from '../../lib/ctx.ts';
import { NotFound } from '../../lib/errors.ts';
import type { ProviderService } from '../providers/service.ts';
import type { Provider } from '../providers/schema.ts';
import type { InviteInput, StaffRow, StaffService } from '../admin-accounts/staff-service.ts';

export function teamService(teams: StaffService, providers: ProviderService) {
  function ownProvider(ctx: Ctx): Provider {
    const actor = personOf(ctx);
    if (actor?.role !== 'provider_staff' || actor.providerId === null) throw new NotFound();
    const p = providers.byId(actor.providerId);
    if (!p) throw new NotFound();
    return p;
  }

  return {
    ownProvider,
    view(ctx: Ctx): { provider: Provider; canManage: boolean; items: StaffRow[] } {
      const provider = ownProvider(ctx);
      return { provider, canManage: teams.isManager(ctx), items: teams.list(ctx, provider.id) };
    },
    async invite(ctx: Ctx, input: InviteInput): Promise<StaffRow> {
      const provider = ownProvider(ctx);
      const u = await teams.invite(ctx, provider, { ...input, manager: false });
      return teams.get(ctx, provider.id, u.id);
    },
    resendInvite(ctx: Ctx, id: number): void {
      teams.resendInvite(ctx, ownProvider(ctx), id);
    },
    setDisabled(ctx: Ctx, id: number, disabled: boolean): StaffRow {
      const provider = ownProvider(ctx);
      teams.setDisabled(ctx, provider.id, id, disabled);
      return teams.get(ctx, provider.id, id);
    },
  };
}

export type TeamService = ReturnType<typeof teamService>;
